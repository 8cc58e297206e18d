package dev.spalce.cryptoservice.access.api;

import dev.spalce.cryptoservice.access.model.Operation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method as one {@link Operation}: {@link CallerAccessFilter} lets through only the service
 * identities on that operation's allow-list. Every resource method of crypto-service carries it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallerAllowed {
    Operation value();
}

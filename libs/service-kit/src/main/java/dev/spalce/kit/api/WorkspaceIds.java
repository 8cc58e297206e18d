package dev.spalce.kit.api;

import dev.spalce.contracts.CloudEvent;
import java.util.regex.Pattern;

/**
 * The one spelling of a workspace id: the canonical {@code UUID.toString()}, lower case, 36 characters. It becomes
 * the tenant id of every row, data key, wrap context and audit chain, compared as a string, so another spelling of
 * the same UUID (upper case, a dropped leading zero, both of which {@code UUID.fromString} accepts) would name a
 * different, shadow tenant. The gateway authorizes and forwards only this spelling, and every internal service
 * refuses any other ({@link WorkspaceIdFilter}).
 */
public final class WorkspaceIds {

    /** A canonical workspace id. */
    public static final String PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static final Pattern CANONICAL = Pattern.compile(PATTERN);

    private WorkspaceIds() {}

    /** Whether {@code id} is a workspace id in its one spelling. */
    public static boolean isCanonical(String id) {
        return id != null && CANONICAL.matcher(id).matches();
    }

    /** A canonical workspace id, or the platform's own audit log ({@link CloudEvent#PLATFORM_WORKSPACE}). */
    public static boolean isCanonicalOrPlatform(String id) {
        return isCanonical(id) || CloudEvent.PLATFORM_WORKSPACE.equals(id);
    }

    /** The answer to any other spelling: exactly what a workspace one may not see answers, echoing nothing. */
    public static ProblemException notFound() {
        return new ProblemException(404, "not-found", "Not found", "no such workspace");
    }
}

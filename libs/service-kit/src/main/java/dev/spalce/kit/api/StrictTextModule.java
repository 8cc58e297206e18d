package dev.spalce.kit.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Refuses, while a JSON body is read, every string (value or object key) that cannot be stored exactly as sent
 * ({@link TextRules#unstorable}): the request fails as a 400 {@code invalid-request} naming the field, instead of
 * a database error (PostgreSQL refuses U+0000) or a silent change (an unpaired surrogate read back as {@code ?}).
 */
@Singleton
public class StrictTextModule implements ObjectMapperCustomizer {

    /** The failure of one string; {@link ProblemMappers} turns it into the problem's detail. */
    public static final class UnstorableTextException extends InvalidFormatException {
        private final String reason;

        UnstorableTextException(JsonParser parser, String why) {
            super(parser, "the string " + why, null, String.class);
            this.reason = why;
        }

        /** Why the string was refused, without the string itself (it may be a secret). */
        public String reason() {
            return reason;
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("spalce-strict-text");
        module.addDeserializer(String.class, new StdScalarDeserializer<String>(String.class) {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return checked(parser, StringDeserializer.instance.deserialize(parser, context));
            }
        });
        module.addKeyDeserializer(String.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext context) throws IOException {
                return checked(context.getParser(), key);
            }
        });
        mapper.registerModule(module);
    }

    private static String checked(JsonParser parser, String value) throws UnstorableTextException {
        String why = value == null ? null : TextRules.unstorable(value);
        if (why != null) {
            throw new UnstorableTextException(parser, why);
        }
        return value;
    }
}

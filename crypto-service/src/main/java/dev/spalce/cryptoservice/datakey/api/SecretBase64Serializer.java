package dev.spalce.cryptoservice.datakey.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.spalce.crypto.InsecureKeyAccess;
import dev.spalce.crypto.SecretBytes;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a plaintext DEK into a response as base64, straight from a short-lived copy into the output buffer (no
 * {@code String} of it is ever made), then zeroes the copy and closes the secret: a DEK is serialised once.
 */
public class SecretBase64Serializer extends StdSerializer<SecretBytes> {

    public SecretBase64Serializer() {
        super(SecretBytes.class);
    }

    @Override
    public void serialize(SecretBytes secret, JsonGenerator json, SerializerProvider provider) throws IOException {
        byte[] raw = secret.toByteArray(InsecureKeyAccess.get());
        try {
            json.writeBinary(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
            secret.close();
        }
    }
}

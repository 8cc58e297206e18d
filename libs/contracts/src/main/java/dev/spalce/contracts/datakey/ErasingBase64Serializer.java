package dev.spalce.contracts.datakey;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a plaintext DEK as base64 straight from its array into the output (no {@code String} of it is ever made),
 * then zeroes the array: a plaintext key on the wire is written once, by the one who hands it on.
 */
public final class ErasingBase64Serializer extends StdSerializer<byte[]> {

    public ErasingBase64Serializer() {
        super(byte[].class);
    }

    @Override
    public void serialize(byte[] secret, JsonGenerator json, SerializerProvider provider) throws IOException {
        try {
            json.writeBinary(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}

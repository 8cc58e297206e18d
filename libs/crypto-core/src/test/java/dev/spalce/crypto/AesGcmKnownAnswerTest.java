package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Project Wycheproof AES-GCM vectors (see src/test/resources/vectors/README.md) against {@link Aes256Gcm}, the
 * primitive under {@link FieldCiphers#aesGcm}. Every case becomes its own dynamic test, so the build's test count
 * shows how many ran.
 */
class AesGcmKnownAnswerTest {

    private static final String VECTORS = "/vectors/wycheproof_aes_gcm_256_iv96_tag128.json";
    private static final HexFormat HEX = HexFormat.of();

    /** One Wycheproof AeadTest case. */
    private record Case(
            int tcId,
            String comment,
            byte[] key,
            byte[] iv,
            byte[] aad,
            byte[] msg,
            byte[] ct,
            byte[] tag,
            boolean valid) {

        byte[] ciphertextAndTag() {
            byte[] out = new byte[ct.length + tag.length];
            System.arraycopy(ct, 0, out, 0, ct.length);
            System.arraycopy(tag, 0, out, ct.length, tag.length);
            return out;
        }
    }

    @Test
    void vectorFile_yieldsEveryDeclaredCase() throws IOException {
        JsonNode root = readVectorFile();

        List<Case> cases = casesFor256BitKey96BitIv128BitTag(root);

        assertThat(cases).isNotEmpty().hasSize(root.get("numberOfTests").asInt());
        assertThat(cases).anyMatch(Case::valid).anyMatch(c -> !c.valid());
    }

    @TestFactory
    Stream<DynamicTest> wycheproofAesGcm() throws IOException {
        List<Case> cases = casesFor256BitKey96BitIv128BitTag(readVectorFile());
        assertThat(cases).as("cases in " + VECTORS).isNotEmpty();
        long valid = cases.stream().filter(Case::valid).count();
        System.out.printf(
                "Wycheproof AES-256-GCM: running %d cases (%d valid, %d invalid) from %s%n",
                cases.size(), valid, cases.size() - valid, VECTORS);
        return cases.stream()
                .map(c -> DynamicTest.dynamicTest(
                        "tcId " + c.tcId() + (c.valid() ? " valid " : " invalid ") + c.comment(), () -> check(c)));
    }

    private static void check(Case c) {
        try (SecretBytes raw = SecretBytes.copyOf(c.key());
                DataKey key = DataKey.fromPlaintext(raw)) {
            if (c.valid()) {
                assertThat(Aes256Gcm.encrypt(key, c.iv(), c.msg(), c.aad())).isEqualTo(c.ciphertextAndTag());
                byte[] input = c.ciphertextAndTag();
                assertThat(Aes256Gcm.decrypt(key, c.iv(), input, 0, input.length, c.aad()))
                        .isEqualTo(c.msg());
            } else {
                byte[] input = c.ciphertextAndTag();
                assertThatThrownBy(() -> Aes256Gcm.decrypt(key, c.iv(), input, 0, input.length, c.aad()))
                        .isInstanceOf(BadCiphertextException.class);
            }
        }
    }

    private static JsonNode readVectorFile() throws IOException {
        try (InputStream in = AesGcmKnownAnswerTest.class.getResourceAsStream(VECTORS)) {
            assertThat(in).as(VECTORS).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<Case> casesFor256BitKey96BitIv128BitTag(JsonNode root) {
        List<Case> cases = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            if (group.get("keySize").asInt() != 256
                    || group.get("ivSize").asInt() != 96
                    || group.get("tagSize").asInt() != 128) {
                continue;
            }
            for (JsonNode test : group.get("tests")) {
                String result = test.get("result").asText();
                assertThat(result).as("tcId %s result", test.get("tcId")).isIn("valid", "invalid");
                cases.add(new Case(
                        test.get("tcId").asInt(),
                        test.get("comment").asText(),
                        hex(test, "key"),
                        hex(test, "iv"),
                        hex(test, "aad"),
                        hex(test, "msg"),
                        hex(test, "ct"),
                        hex(test, "tag"),
                        result.equals("valid")));
            }
        }
        return cases;
    }

    private static byte[] hex(JsonNode test, String field) {
        return HEX.parseHex(test.get(field).asText());
    }
}

package dev.spalce.keyproviders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WrapContextTest {

    /** The encoding of docs/format.md, section 9, for the worked example's record. */
    static final String EXAMPLE_AAD_HEX = "7370616c63652d64656b01000b74656e616e742d376633630009706572736f6e6e656c0024"
            + "34623865326331612d393364352d346630652d386136312d326639633764306235653134";

    @Test
    void encode_isTheDocumentedCanonicalBytes() {
        WrapContext context = WrapContext.of("tenant-7f3c", "personnel", "4b8e2c1a-93d5-4f0e-8a61-2f9c7d0b5e14");

        assertThat(HexFormat.of().formatHex(context.encode(AesGcmKeyWrap.FORMAT)))
                .isEqualTo(EXAMPLE_AAD_HEX);
    }

    @Test
    void encode_withShiftedComponentBoundaries_differs() {
        byte[] first = WrapContext.of("ab", "c", "d").encode(1);
        byte[] second = WrapContext.of("a", "bc", "d").encode(1);
        byte[] third = WrapContext.of("a", "b", "cd").encode(1);

        assertThat(first).isNotEqualTo(second);
        assertThat(second).isNotEqualTo(third);
    }

    @Test
    void encode_ofAnotherFormatVersion_differs() {
        WrapContext context = WrapContext.of("t", "r", "1");

        assertThat(context.encode(1)).isNotEqualTo(context.encode(2));
        assertThatThrownBy(() -> context.encode(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> context.encode(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_withEmptyNulTooLongOrBrokenComponents_isRejectedNamingTheComponent() {
        assertThatThrownBy(() -> WrapContext.of("", "r", "1")).hasMessageContaining("tenantId");
        assertThatThrownBy(() -> WrapContext.of("t", null, "1")).hasMessageContaining("recordType");
        assertThatThrownBy(() -> WrapContext.of("t", "r", "a\0b")).hasMessageContaining("recordId");
        assertThatThrownBy(() -> WrapContext.of("t", "r", "x".repeat(257))).hasMessageContaining("257");
        assertThatThrownBy(() -> WrapContext.of("t", "\uD800", "1")).hasMessageContaining("surrogate");
        // 128 two-byte characters are exactly 256 UTF-8 bytes: allowed.
        assertThat(WrapContext.of("t", "r", "é".repeat(128)).recordId()).hasSize(128);
    }

    @Test
    void asEncryptionContext_namesEachComponent() {
        assertThat(WrapContext.of("ws-1", "evidence", "e-9").asEncryptionContext())
                .containsExactly(
                        java.util.Map.entry("spalce:tenant", "ws-1"),
                        java.util.Map.entry("spalce:record-type", "evidence"),
                        java.util.Map.entry("spalce:record-id", "e-9"));
    }

    @Test
    void equalContexts_areEqual_andDifferentOnesAreNot() {
        assertThat(WrapContext.of("t", "r", "1"))
                .isEqualTo(WrapContext.of("t", "r", "1"))
                .hasSameHashCodeAs(WrapContext.of("t", "r", "1"))
                .isNotEqualTo(WrapContext.of("t", "r", "2"));
    }
}

package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssociatedDataTest {

    @Test
    void encode_field_isTagVersionThenLengthPrefixedComponents() {
        byte[] encoded = AssociatedData.forField("t1", "user", "42", "email").encode(PayloadFormat.FIELD_AES_GCM);

        assertThat(HexFormat.of().formatHex(encoded))
                .isEqualTo(
                        "7370616c63652d6164" // "spalce-ad"
                                + "01" // format version
                                + "0005" + "6669656c64" // "field"
                                + "0002" + "7431" // "t1"
                                + "0004" + "75736572" // "user"
                                + "0002" + "3432" // "42"
                                + "0005" + "656d61696c"); // "email"
    }

    @Test
    void encode_file_isTagVersionThenLengthPrefixedComponents() {
        byte[] encoded = AssociatedData.forFile("t1", "ev-9").encode(PayloadFormat.STREAM_AES_GCM_HKDF);

        assertThat(HexFormat.of().formatHex(encoded))
                .isEqualTo("7370616c63652d6164" + "02" + "0004" + "66696c65" + "0002" + "7431" + "0004" + "65762d39");
    }

    @Test
    void encode_multibyteComponent_countsUtf8Bytes() {
        byte[] encoded = AssociatedData.forFile("t1", "é").encode(PayloadFormat.STREAM_AES_GCM_HKDF);

        assertThat(HexFormat.of().formatHex(encoded)).endsWith("0002c3a9");
    }

    @Test
    void encode_underOtherFormat_differsOnlyInVersionByte() {
        AssociatedData ad = AssociatedData.forField("t1", "user", "42", "email");

        byte[] field = ad.encode(PayloadFormat.FIELD_AES_GCM);
        byte[] stream = ad.encode(PayloadFormat.STREAM_AES_GCM_HKDF);

        assertThat(field[9]).isEqualTo((byte) 0x01);
        assertThat(stream[9]).isEqualTo((byte) 0x02);
        field[9] = stream[9];
        assertThat(field).isEqualTo(stream);
    }

    @Test
    void encode_componentsShiftedAcrossBoundary_differ() {
        AssociatedData ab = AssociatedData.forField("tenant", "ab", "c", "f");
        AssociatedData a = AssociatedData.forField("tenant", "a", "bc", "f");

        assertThat(ab.encode(PayloadFormat.FIELD_AES_GCM)).isNotEqualTo(a.encode(PayloadFormat.FIELD_AES_GCM));
        assertThat(ab).isNotEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\0b", "\0", "\ud800", "x\udc00y"})
    void forField_withInvalidComponent_isRejected(String invalid) {
        assertThatThrownBy(() -> AssociatedData.forField("tenant", "user", invalid, "email"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("recordId");
    }

    @Test
    void forFile_withNullComponent_isRejectedNamingIt() {
        assertThatThrownBy(() -> AssociatedData.forFile("tenant", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("evidenceId is missing");
    }

    @Test
    void forField_withComponentAtByteLimit_isAcceptedAndOneByteMoreIsRejected() {
        String twoByteCharsAtLimit = "é".repeat(AssociatedData.MAX_COMPONENT_BYTES / 2);

        assertThat(AssociatedData.forField(twoByteCharsAtLimit, "user", "42", "email"))
                .isNotNull();
        assertThatThrownBy(() -> AssociatedData.forField(twoByteCharsAtLimit + "x", "user", "42", "email"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("257");
    }

    @Test
    void equals_sameComponents_isValueBased() {
        assertThat(AssociatedData.forFile("t1", "ev-9"))
                .isEqualTo(AssociatedData.forFile("t1", "ev-9"))
                .hasSameHashCodeAs(AssociatedData.forFile("t1", "ev-9"))
                .isNotEqualTo(AssociatedData.forFile("t1", "ev-8"));
    }
}

package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretBytesTest {

    private static final byte[] CONTENT = HexFormat.of().parseHex("a1b2c3d4e5f60718293a4b5c6d7e8f90");

    @Test
    void copyOf_thenSourceMutated_secretUnchanged() {
        byte[] source = CONTENT.clone();
        try (SecretBytes secret = SecretBytes.copyOf(source)) {
            source[0] ^= 0x7f;

            assertThat(secret.toByteArray(InsecureKeyAccess.get())).isEqualTo(CONTENT);
        }
    }

    @Test
    void copyOf_withEmptyArray_isRejected() {
        assertThatThrownBy(() -> SecretBytes.copyOf(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void random_withNonPositiveLength_isRejected(int length) {
        assertThatThrownBy(() -> SecretBytes.random(length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void random_twice_returnsRequestedLengthAndDifferentContent() {
        try (SecretBytes first = SecretBytes.random(32);
                SecretBytes second = SecretBytes.random(32)) {
            assertThat(first.length()).isEqualTo(32);
            assertThat(first.equalsSecret(second)).isFalse();
        }
    }

    @Test
    void toByteArray_thenCopyMutated_secretUnchanged() {
        try (SecretBytes secret = SecretBytes.copyOf(CONTENT)) {
            byte[] copy = secret.toByteArray(InsecureKeyAccess.get());
            copy[3] ^= 0x01;

            assertThat(secret.toByteArray(InsecureKeyAccess.get())).isEqualTo(CONTENT);
        }
    }

    @Test
    void toByteArray_withoutAccessToken_isRejected() {
        try (SecretBytes secret = SecretBytes.copyOf(CONTENT)) {
            assertThatThrownBy(() -> secret.toByteArray(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void close_zeroesBackingArray() {
        SecretBytes secret = SecretBytes.copyOf(CONTENT);
        byte[] backing = secret.backingArrayForTesting();
        assertThat(backing).isEqualTo(CONTENT);

        secret.close();

        assertThat(backing).containsOnly(0);
    }

    @Test
    void close_twice_isHarmless() {
        SecretBytes secret = SecretBytes.copyOf(CONTENT);
        secret.close();
        secret.close();

        assertThat(secret.backingArrayForTesting()).containsOnly(0);
    }

    @Test
    void use_afterClose_throwsIllegalState() {
        SecretBytes secret = SecretBytes.copyOf(CONTENT);
        SecretBytes other = SecretBytes.copyOf(CONTENT);
        secret.close();

        assertThatThrownBy(secret::length).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secret.toByteArray(InsecureKeyAccess.get())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secret.equalsSecret(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.equalsSecret(secret)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toString_revealsNeitherContentNorLength() {
        try (SecretBytes secret = SecretBytes.copyOf(CONTENT);
                SecretBytes longer = SecretBytes.random(64)) {
            String text = secret.toString();

            assertThat(text)
                    .isEqualTo(longer.toString())
                    .doesNotContainIgnoringCase("a1b2")
                    .doesNotContain("16");
        }
    }

    @Test
    void equalsSecret_comparesContent() {
        try (SecretBytes secret = SecretBytes.copyOf(CONTENT);
                SecretBytes same = SecretBytes.copyOf(CONTENT);
                SecretBytes lastByteDiffers = SecretBytes.copyOf(withLastByteFlipped(CONTENT));
                SecretBytes shorter = SecretBytes.copyOf(Arrays.copyOf(CONTENT, CONTENT.length - 1))) {
            assertThat(secret.equalsSecret(same)).isTrue();
            assertThat(secret.equalsSecret(secret)).isTrue();
            assertThat(secret.equalsSecret(lastByteDiffers)).isFalse();
            assertThat(secret.equalsSecret(shorter)).isFalse();
        }
    }

    @Test
    void equalsAndHashCode_areIdentityBased() {
        try (SecretBytes secret = SecretBytes.copyOf(CONTENT);
                SecretBytes same = SecretBytes.copyOf(CONTENT)) {
            assertThat(secret).isNotEqualTo(same);
            assertThat(secret.hashCode()).isEqualTo(System.identityHashCode(secret));
        }
    }

    private static byte[] withLastByteFlipped(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length - 1] ^= 0x01;
        return copy;
    }
}

package dev.spalce.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataKeyTest {

    @Test
    void generate_twice_returnsDifferent256BitKeys() {
        try (DataKey first = DataKey.generate();
                DataKey second = DataKey.generate();
                SecretBytes firstPlaintext = first.plaintext(InsecureKeyAccess.get());
                SecretBytes secondPlaintext = second.plaintext(InsecureKeyAccess.get())) {
            assertThat(firstPlaintext.length()).isEqualTo(32);
            assertThat(firstPlaintext.equalsSecret(secondPlaintext)).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 24, 31, 33, 64})
    void fromPlaintext_withLengthOtherThan32_isRejected(int length) {
        try (SecretBytes plaintext = SecretBytes.random(length)) {
            assertThatThrownBy(() -> DataKey.fromPlaintext(plaintext))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("32");
        }
    }

    @Test
    void fromPlaintext_thenSourceClosed_keyStillWorks() {
        SecretBytes source = SecretBytes.random(32);
        byte[] expected = source.toByteArray(InsecureKeyAccess.get());
        try (DataKey key = DataKey.fromPlaintext(source)) {
            source.close();

            try (SecretBytes plaintext = key.plaintext(InsecureKeyAccess.get())) {
                assertThat(plaintext.toByteArray(InsecureKeyAccess.get())).isEqualTo(expected);
            }
        }
    }

    @Test
    void plaintext_thenCopyClosed_keyStillWorks() {
        try (DataKey key = DataKey.generate()) {
            key.plaintext(InsecureKeyAccess.get()).close();

            try (SecretBytes plaintext = key.plaintext(InsecureKeyAccess.get())) {
                assertThat(plaintext.backingArrayForTesting()).isNotEqualTo(new byte[32]);
            }
        }
    }

    @Test
    void plaintext_withoutAccessToken_isRejected() {
        try (DataKey key = DataKey.generate()) {
            assertThatThrownBy(() -> key.plaintext(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void close_zeroesKeyMaterial() {
        DataKey key = DataKey.generate();
        byte[] backing = key.secretForTesting().backingArrayForTesting();
        assertThat(backing).isNotEqualTo(new byte[32]);

        key.close();

        assertThat(backing).hasSize(32).containsOnly(0);
    }

    @Test
    void plaintext_afterClose_throwsIllegalState() {
        DataKey key = DataKey.generate();
        key.close();

        assertThatThrownBy(() -> key.plaintext(InsecureKeyAccess.get()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataKey has been closed");
    }

    @Test
    void toString_revealsNothing() {
        try (DataKey key = DataKey.generate();
                DataKey other = DataKey.generate()) {
            assertThat(key.toString()).isEqualTo(other.toString()).isEqualTo("DataKey[redacted]");
        }
    }
}

package dev.spalce.audit.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spalce.auditchain.CheckpointSigner;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The signing key as the secret store holds it: what {@code openssl genpkey -algorithm ed25519} writes. */
class SigningKeysPemTest {

    /** A key made for this test only, with openssl; its public key from {@code openssl pkey -pubout}. */
    private static final String PRIVATE_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEIHYEeD3bfUsIWpaQgEEFSbMZXf84Bjrs8Hz3uP7aXqyh
            -----END PRIVATE KEY-----
            """;

    private static final String OPENSSL_PUBLIC_KEY = "MCowBQYDK2VwAyEAJ87lIKfmS2snwc2OnZeBl0bEEUDznJp+9VPs/sh7N2A=";
    private static final String OTHER_PUBLIC_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAWvGIaVXk7d07BsdNmObtXZ8HdWraG6r70lKehXAenGU=
            -----END PUBLIC KEY-----
            """;

    @Test
    void fromPem_withALonePrivateKey_computesThePublicKeyOpensslPrints() {
        CheckpointSigner signer = SigningKeys.fromPem(PRIVATE_PEM);

        assertThat(Base64.getEncoder().encodeToString(signer.publicKey())).isEqualTo(OPENSSL_PUBLIC_KEY);
    }

    @Test
    void fromPem_withAPublicKeyOfAnotherPair_isRefusedWithoutNamingTheKey() {
        assertThatThrownBy(() -> SigningKeys.fromPem(PRIVATE_PEM + OTHER_PUBLIC_PEM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("MC4CAQAw");
    }

    @Test
    void fromPem_withoutAPrivateKey_isRefused() {
        assertThatThrownBy(() -> SigningKeys.fromPem(OTHER_PUBLIC_PEM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM 'PRIVATE KEY' block");
    }

    @Test
    void publicKeyDer_acceptsPemOrBase64() {
        assertThat(SigningKeys.publicKeyDer(OTHER_PUBLIC_PEM))
                .isEqualTo(SigningKeys.publicKeyDer("MCowBQYDK2VwAyEAWvGIaVXk7d07BsdNmObtXZ8HdWraG6r70lKehXAenGU="));
    }
}

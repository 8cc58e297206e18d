package dev.spalce.auditchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint's signed bytes, key id and signature check, and the signer's key handling: the format auditors
 * verify with their own tools (docs/audit-log.md), pinned byte for byte.
 */
class CheckpointTest {

    private static final Instant SIGNED_AT = Instant.parse("2026-12-07T10:15:30.123456Z");
    private static final ChainHash HEAD = ChainHash.fromHex("ab".repeat(32));

    @Test
    void signedMessage_isTheContextLineThenTheCanonicalJsonOfTheHead() {
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        Checkpoint checkpoint = signer.sign("ws-1", 42, HEAD, SIGNED_AT);

        assertThat(new String(checkpoint.signedMessage(), StandardCharsets.UTF_8))
                .isEqualTo("spalce-audit-checkpoint-v1\n"
                        + "{\"entryHash\":\"" + "ab".repeat(32) + "\",\"keyId\":\"" + signer.keyId()
                        + "\",\"seq\":42,\"signedAt\":\"2026-12-07T10:15:30.123456Z\",\"workspaceId\":\"ws-1\"}");
    }

    @Test
    void keyId_isTheFirstSixteenHexDigitsOfTheSha256OfThePublicKey() throws Exception {
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(signer.publicKey()))
                .substring(0, 16);

        assertThat(signer.keyId()).isEqualTo(expected);
        assertThat(CheckpointSigner.keyIdOf(signer.publicKey())).isEqualTo(expected);
        assertThat(signer.sign("ws", 1, HEAD, SIGNED_AT).keyId()).isEqualTo(expected);
    }

    @Test
    void signature_verifiesOnlyForTheExactHeadItWasMadeFor() {
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        Checkpoint real = signer.sign("ws-1", 42, HEAD, SIGNED_AT);
        byte[] key = real.publicKey();
        byte[] signature = real.signature();

        assertThat(real.signatureValid()).isTrue();
        assertThat(List.of(
                        new Checkpoint("ws-2", 42, HEAD, SIGNED_AT, key, signature),
                        new Checkpoint("ws-1", 43, HEAD, SIGNED_AT, key, signature),
                        new Checkpoint("ws-1", 42, ChainHash.GENESIS, SIGNED_AT, key, signature),
                        new Checkpoint("ws-1", 42, HEAD, SIGNED_AT.plusNanos(1000), key, signature),
                        new Checkpoint(
                                "ws-1",
                                42,
                                HEAD,
                                SIGNED_AT,
                                CheckpointSigner.ephemeral().publicKey(),
                                signature),
                        new Checkpoint("ws-1", 42, HEAD, SIGNED_AT, new byte[] {1, 2, 3}, signature),
                        new Checkpoint("ws-1", 42, HEAD, SIGNED_AT, key, new byte[64]),
                        new Checkpoint("ws-1", 42, HEAD, SIGNED_AT, key, new byte[0])))
                .allSatisfy(changed -> assertThat(changed.signatureValid())
                        .as(changed.toString())
                        .isFalse());
    }

    @Test
    void equality_coversEveryFieldIncludingKeyAndSignature_andToStringShowsNoSignature() {
        CheckpointSigner signer = CheckpointSigner.ephemeral();
        Checkpoint real = signer.sign("ws-1", 42, HEAD, SIGNED_AT);
        Checkpoint same = new Checkpoint("ws-1", 42, HEAD, SIGNED_AT, real.publicKey(), real.signature());
        byte[] otherSignature = real.signature();
        otherSignature[0] ^= 1;

        assertThat(same).isEqualTo(real).hasSameHashCodeAs(real);
        assertThat(real)
                .isNotEqualTo(new Checkpoint("ws-1", 42, HEAD, SIGNED_AT, real.publicKey(), otherSignature))
                .isNotEqualTo(new Checkpoint("ws-2", 42, HEAD, SIGNED_AT, real.publicKey(), real.signature()))
                .isNotEqualTo(new Checkpoint("ws-1", 41, HEAD, SIGNED_AT, real.publicKey(), real.signature()))
                .isNotEqualTo(
                        new Checkpoint("ws-1", 42, ChainHash.GENESIS, SIGNED_AT, real.publicKey(), real.signature()))
                .isNotEqualTo(new Checkpoint("ws-1", 42, HEAD, Instant.EPOCH, real.publicKey(), real.signature()))
                .isNotEqualTo(new Checkpoint(
                        "ws-1",
                        42,
                        HEAD,
                        SIGNED_AT,
                        CheckpointSigner.ephemeral().publicKey(),
                        real.signature()))
                .isNotEqualTo("a checkpoint");
        assertThat(real.toString())
                .isEqualTo("Checkpoint[ws-1 #42 " + HEAD + " key " + signer.keyId() + "]")
                .doesNotContain(Base64.getEncoder().encodeToString(real.signature()));
        assertThat(real.hashCode()).isNotEqualTo(same.hashCode() + 1).isNotZero();
    }

    @Test
    void signer_fromAMatchingPair_signsCheckpointsItsPublicKeyVerifies() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Base64.Encoder base64 = Base64.getEncoder();

        CheckpointSigner fromBase64 = CheckpointSigner.fromBase64(
                base64.encodeToString(pair.getPrivate().getEncoded()),
                " " + base64.encodeToString(pair.getPublic().getEncoded()) + "\n");
        CheckpointSigner of =
                CheckpointSigner.of(pair.getPrivate(), pair.getPublic().getEncoded());

        for (CheckpointSigner signer : List.of(fromBase64, of)) {
            Checkpoint checkpoint = signer.sign("ws", 7, HEAD, SIGNED_AT);
            assertThat(checkpoint.signatureValid()).isTrue();
            assertThat(checkpoint.signedBy(pair.getPublic().getEncoded())).isTrue();
            assertThat(signer.publicKey()).isEqualTo(pair.getPublic().getEncoded());
            assertThat(signer.toString()).isEqualTo("CheckpointSigner[Ed25519, key " + signer.keyId() + "]");
        }
    }

    @Test
    void signer_fromAMismatchedOrMalformedPair_isRefusedWithoutNamingTheKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String privateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        String otherPublicKey =
                Base64.getEncoder().encodeToString(other.getPublic().getEncoded());

        assertThatThrownBy(() -> CheckpointSigner.fromBase64(privateKey, otherPublicKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the checkpoint signing key pair is not a valid Ed25519 pair");
        assertThatThrownBy(() -> CheckpointSigner.fromBase64(privateKey, "not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(privateKey);
        assertThatThrownBy(() ->
                        CheckpointSigner.of(pair.getPrivate(), other.getPublic().getEncoded()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the checkpoint signing key pair is not a valid Ed25519 pair");
        assertThatThrownBy(() -> CheckpointSigner.of(pair.getPrivate(), new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

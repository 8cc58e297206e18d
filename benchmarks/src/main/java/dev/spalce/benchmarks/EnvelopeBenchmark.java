package dev.spalce.benchmarks;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.WrapContext;
import dev.spalce.keyproviders.WrappedKey;
import dev.spalce.keyproviders.local.LocalKeyProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * One 1 KiB record, encrypted and decrypted three ways in the same run:
 * <ul>
 *   <li>Spalce's envelope: a fresh DEK, wrapped in-process by the {@code local} key provider (AES-256-GCM under the
 *       CMK version, bound to tenant and record), the record encrypted with the DEK (format 0x01), the DEK erased;
 *       decryption unwraps and decrypts;</li>
 *   <li>a hand-rolled JCA envelope doing the same steps with nothing around them: a random 32-byte DEK from
 *       {@link SecureRandom}, the DEK wrapped with AES-256-GCM under a fixed key with associated data as long as
 *       Spalce's wrap context, the record encrypted with AES-256-GCM under the DEK with associated data as long as
 *       Spalce's, the DEK zeroed: the bound the Spalce envelope is measured against;</li>
 *   <li>a raw JCA AES-256-GCM loop under one fixed key, with no key per record;</li>
 *   <li>the AWS Encryption SDK for Java with a raw AES keyring, which also makes and wraps a data key per message:
 *       with its key-committing suite without signatures, and with its default suite (committing, ECDSA P-384
 *       signatures).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

    static final int RECORD_BYTES = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final WrapContext CONTEXT = WrapContext.of("ws-bench", "personnel", "p-0001");
    private static final AssociatedData FIELD = AssociatedData.forField("ws-bench", "personnel", "p-0001", "notes");
    private static final Map<String, String> ENCRYPTION_CONTEXT =
            Map.of("spalce:tenant", "ws-bench", "spalce:record-type", "personnel", "spalce:record-id", "p-0001");

    private Path keystoreDirectory;
    private LocalKeyProvider provider;
    private KmsKeyId cmk;
    private byte[] record;

    private byte[] spalceWrappedDek;
    private byte[] spalceCiphertext;

    private SecretKeySpec jcaKey;
    private byte[] jcaAssociatedData;
    private byte[] jcaCiphertext;

    private byte[] envelopeWrapAssociatedData;
    private byte[] envelopeRecordAssociatedData;
    private byte[] envelopeWrappedDek;
    private byte[] envelopeCiphertext;

    private AwsCrypto esdk;
    private AwsCrypto esdkSigned;
    private IKeyring rawAesKeyring;
    private byte[] esdkCiphertext;
    private byte[] esdkSignedCiphertext;

    @Setup
    public void setUp() throws IOException, GeneralSecurityException {
        // The same JIT warm-up as the streaming benchmark, so that every benchmark starts from compiled AES-GCM.
        StreamingBenchmark.warmUpJit();
        record = new byte[RECORD_BYTES];
        RANDOM.nextBytes(record);

        keystoreDirectory = Files.createTempDirectory("spalce-bench-");
        provider = LocalKeyProvider.open(
                keystoreDirectory.resolve("keystore.p12"), "benchmark-passphrase-protects-nothing".toCharArray());
        cmk = provider.createKey();
        try (DataKey dek = DataKey.generate()) {
            spalceWrappedDek = provider.wrap(cmk, dek, CONTEXT).bytes();
            spalceCiphertext = FieldCiphers.aesGcm(dek).encrypt(record, FIELD);
        }

        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        jcaKey = new SecretKeySpec(key, "AES");
        jcaAssociatedData = "spalce-bench-associated-data".getBytes(StandardCharsets.US_ASCII);
        jcaCiphertext = gcmEncrypt(jcaKey, record, jcaAssociatedData);

        // Associated data of the same lengths as Spalce's: the wrap context (format 0x01) and the field binding.
        envelopeWrapAssociatedData = new byte[CONTEXT.encode(1).length];
        envelopeRecordAssociatedData =
                new byte[fieldBindingLength("field", "ws-bench", "personnel", "p-0001", "notes")];
        RANDOM.nextBytes(envelopeWrapAssociatedData);
        RANDOM.nextBytes(envelopeRecordAssociatedData);
        byte[][] envelope = jcaEnvelopeSeal();
        envelopeWrappedDek = envelope[0];
        envelopeCiphertext = envelope[1];

        byte[] wrappingKey = new byte[32];
        RANDOM.nextBytes(wrappingKey);
        MaterialProviders materialProviders = MaterialProviders.builder()
                .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
                .build();
        rawAesKeyring = materialProviders.CreateRawAesKeyring(CreateRawAesKeyringInput.builder()
                .keyNamespace("spalce-bench")
                .keyName("cmk-v1")
                .wrappingKey(ByteBuffer.wrap(wrappingKey))
                .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                .build());
        esdk = AwsCrypto.builder()
                .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
                .withEncryptionAlgorithm(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
                .build();
        esdkSigned = AwsCrypto.builder()
                .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
                .build();
        esdkCiphertext =
                esdk.encryptData(rawAesKeyring, record, ENCRYPTION_CONTEXT).getResult();
        esdkSignedCiphertext = esdkSigned
                .encryptData(rawAesKeyring, record, ENCRYPTION_CONTEXT)
                .getResult();
    }

    @TearDown
    public void tearDown() throws IOException {
        provider.close();
        try (Stream<Path> files = Files.walk(keystoreDirectory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public void spalceEnvelopeEncrypt(Blackhole blackhole) {
        try (DataKey dek = DataKey.generate()) {
            WrappedKey wrapped = provider.wrap(cmk, dek, CONTEXT);
            blackhole.consume(wrapped);
            blackhole.consume(FieldCiphers.aesGcm(dek).encrypt(record, FIELD));
        }
    }

    @Benchmark
    public byte[] spalceEnvelopeDecrypt() {
        try (DataKey dek = provider.unwrap(cmk, spalceWrappedDek, CONTEXT)) {
            return FieldCiphers.aesGcm(dek).decrypt(spalceCiphertext, FIELD);
        }
    }

    @Benchmark
    public void jcaEnvelopeEncrypt(Blackhole blackhole) throws GeneralSecurityException {
        byte[][] sealed = jcaEnvelopeSeal();
        blackhole.consume(sealed[0]);
        blackhole.consume(sealed[1]);
    }

    @Benchmark
    public byte[] jcaEnvelopeDecrypt() throws GeneralSecurityException {
        byte[] dek = gcmDecrypt(jcaKey, envelopeWrappedDek, envelopeWrapAssociatedData);
        try {
            return gcmDecrypt(new SecretKeySpec(dek, "AES"), envelopeCiphertext, envelopeRecordAssociatedData);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    @Benchmark
    public byte[] jcaAesGcmEncrypt() throws GeneralSecurityException {
        return gcmEncrypt(jcaKey, record, jcaAssociatedData);
    }

    @Benchmark
    public byte[] jcaAesGcmDecrypt() throws GeneralSecurityException {
        return gcmDecrypt(jcaKey, jcaCiphertext, jcaAssociatedData);
    }

    @Benchmark
    public byte[] awsEsdkEncrypt() {
        return esdk.encryptData(rawAesKeyring, record, ENCRYPTION_CONTEXT).getResult();
    }

    @Benchmark
    public byte[] awsEsdkDecrypt() {
        return esdk.decryptData(rawAesKeyring, esdkCiphertext, ENCRYPTION_CONTEXT)
                .getResult();
    }

    @Benchmark
    public byte[] awsEsdkSignedEncrypt() {
        return esdkSigned.encryptData(rawAesKeyring, record, ENCRYPTION_CONTEXT).getResult();
    }

    @Benchmark
    public byte[] awsEsdkSignedDecrypt() {
        return esdkSigned
                .decryptData(rawAesKeyring, esdkSignedCiphertext, ENCRYPTION_CONTEXT)
                .getResult();
    }

    /** A fresh DEK wrapped under the fixed key, and the record under the DEK: {wrapped DEK, ciphertext}. */
    private byte[][] jcaEnvelopeSeal() throws GeneralSecurityException {
        byte[] dek = new byte[32];
        RANDOM.nextBytes(dek);
        try {
            byte[] wrapped = gcmEncrypt(jcaKey, dek, envelopeWrapAssociatedData);
            byte[] ciphertext = gcmEncrypt(new SecretKeySpec(dek, "AES"), record, envelopeRecordAssociatedData);
            return new byte[][] {wrapped, ciphertext};
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    /** nonce (12) || ciphertext || tag of {@code plaintext} under {@code key}, with a random nonce. */
    private static byte[] gcmEncrypt(SecretKeySpec key, byte[] plaintext, byte[] associatedData)
            throws GeneralSecurityException {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        byte[] out = new byte[12 + plaintext.length + 16];
        System.arraycopy(nonce, 0, out, 0, 12);
        cipher.doFinal(plaintext, 0, plaintext.length, out, 12);
        return out;
    }

    /** Decrypts what {@link #gcmEncrypt} made. */
    private static byte[] gcmDecrypt(SecretKeySpec key, byte[] sealed, byte[] associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
        cipher.updateAAD(associatedData);
        return cipher.doFinal(sealed, 12, sealed.length - 12);
    }

    /** The length of Spalce's field binding (docs/format.md): tag, format byte, each component with a 2-byte length. */
    private static int fieldBindingLength(String... components) {
        int length = "spalce-ad".length() + 1;
        for (String component : components) {
            length += 2 + component.getBytes(StandardCharsets.UTF_8).length;
        }
        return length;
    }
}

package dev.spalce.benchmarks;

import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.StreamCipher;
import dev.spalce.crypto.StreamCiphers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole file through crypto-core's streaming cipher (Tink AES-GCM-HKDF, 1 MiB segments, format 0x02), from and
 * to memory in 64 KiB writes and reads, so that only the cipher is measured, not a disk.
 *
 * <p>Each fork first warms the JIT up with many small AES-GCM operations and small streams ({@link #warmUpJit}):
 * HotSpot uses its AES-GCM intrinsics only once the calling code is compiled, and a stream of 1 MiB segments calls
 * it so rarely that a cold JVM streams several gigabytes at 50 to 200 MiB/s before that happens. A server that has
 * been running a while has long done it; the measurement is of that steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StreamingBenchmark {

    private static final int CHUNK = 64 * 1024;
    private static final AssociatedData FILE = AssociatedData.forFile("ws-bench", "evidence-0001");

    /** The file size: 1 MiB and 64 MiB. */
    @Param({"1048576", "67108864"})
    public int size;

    private DataKey dek;
    private StreamCipher cipher;
    private byte[] plaintext;
    private byte[] ciphertext;
    private final byte[] readBuffer = new byte[CHUNK];

    @Setup
    public void setUp() throws IOException, GeneralSecurityException {
        warmUpJit();
        plaintext = new byte[size];
        new SecureRandom().nextBytes(plaintext);
        dek = DataKey.generate();
        cipher = StreamCiphers.aesGcmHkdf(dek);
        ByteArrayOutputStream sink = new ByteArrayOutputStream(size + size / 1000 + 1024);
        try (OutputStream out = cipher.encryptingStream(sink, FILE)) {
            out.write(plaintext);
        }
        ciphertext = sink.toByteArray();
    }

    /** 20,000 AES-GCM round trips of 16 KiB, then 500 streams of 256 KiB. */
    static void warmUpJit() throws IOException, GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] block = new byte[16 * 1024];
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        for (int i = 0; i < 20_000; i++) {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
            encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = encrypt.doFinal(block);
            Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
            decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            decrypt.doFinal(sealed);
        }
        byte[] file = new byte[256 * 1024];
        byte[] buffer = new byte[CHUNK];
        try (DataKey warmUpKey = DataKey.generate()) {
            StreamCipher streams = StreamCiphers.aesGcmHkdf(warmUpKey);
            for (int i = 0; i < 500; i++) {
                ByteArrayOutputStream sink = new ByteArrayOutputStream(file.length + 1024);
                try (OutputStream out = streams.encryptingStream(sink, FILE)) {
                    out.write(file);
                }
                try (InputStream in = streams.decryptingStream(new ByteArrayInputStream(sink.toByteArray()), FILE)) {
                    while (in.read(buffer) >= 0) {
                        // drain
                    }
                }
            }
        }
    }

    @TearDown
    public void tearDown() {
        dek.close();
    }

    @Benchmark
    public long streamEncrypt() throws IOException {
        CountingSink sink = new CountingSink();
        try (OutputStream out = cipher.encryptingStream(sink, FILE)) {
            for (int offset = 0; offset < plaintext.length; offset += CHUNK) {
                out.write(plaintext, offset, Math.min(CHUNK, plaintext.length - offset));
            }
        }
        return sink.count;
    }

    @Benchmark
    public long streamDecrypt() throws IOException {
        long total = 0;
        try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(ciphertext), FILE)) {
            for (int read = in.read(readBuffer); read >= 0; read = in.read(readBuffer)) {
                total += read;
            }
        }
        if (total != size) {
            throw new IllegalStateException("decrypted " + total + " bytes of " + size);
        }
        return total;
    }

    /** Discards what is written, counting it. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}

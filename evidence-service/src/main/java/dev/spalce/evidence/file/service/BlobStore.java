package dev.spalce.evidence.file.service;

import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.file.config.EvidenceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The evidence bucket, through the AWS SDK v2 S3 client. Objects are written in bounded memory: the writer's
 * bytes fill one part buffer at a time, a file that fits in one part is one PUT, a larger one a multipart upload
 * that is aborted if anything fails, so a failed upload leaves no object (and no part) behind. Server-side
 * encryption is requested as well, as configured. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class BlobStore {

    private static final Logger LOG = Logger.getLogger(BlobStore.class);

    /** Writes an object's content. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream sink) throws IOException;
    }

    /** A stored object: its size and the SHA-256 of its bytes (hex). */
    public record StoredObject(long bytes, String sha256) {}

    private final S3Client s3;
    private final String bucket;
    private final ServerSideEncryption sse;
    private final int partBytes;

    public BlobStore(EvidenceConfig config) {
        EvidenceConfig.S3 settings = config.s3();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // Integrity is end to end already (the AEAD tags, and the ciphertext's SHA-256 checked before each
                // download); the SDK's optional trailing checksums (aws-chunked) are not understood by every
                // S3-API store, so they are sent only where an operation requires one.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint()
                .filter(endpoint -> !endpoint.isBlank())
                .map(URI::create)
                .ifPresent(builder::endpointOverride);
        if (settings.accessKey().isPresent() && settings.secretKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKey().get(), settings.secretKey().get())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        this.s3 = builder.build();
        this.bucket = settings.bucket();
        this.sse = "none".equals(settings.serverSideEncryption())
                ? null
                : ServerSideEncryption.fromValue(settings.serverSideEncryption());
        if (config.upload().partBytes() < 5 * 1024 * 1024) {
            throw new IllegalStateException(
                    "spalce.evidence.upload.part-bytes must be at least 5 MiB (S3's minimum part)");
        }
        this.partBytes = config.upload().partBytes();
    }

    /**
     * Stores what {@code writer} writes as object {@code key}. On any failure of the writer (its exception is
     * rethrown as is) or of the store (an object-store-unavailable problem), nothing is left in the bucket.
     */
    public StoredObject put(String key, Writer writer) throws IOException {
        PartSink sink = new PartSink(key);
        try {
            writer.writeTo(sink);
            return sink.complete();
        } catch (IOException | RuntimeException e) {
            sink.abort();
            if (e instanceof SdkException) {
                throw EvidenceProblems.objectStoreUnavailable(e);
            }
            throw e;
        }
    }

    /** The object's bytes, streamed. A missing object is an integrity failure: its row says it was stored. */
    public InputStream open(String key) {
        try {
            return s3.getObject(
                    GetObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (NoSuchKeyException e) {
            LOG.errorf("object %s is missing from the bucket although its row exists", key);
            throw EvidenceProblems.objectMissing("the stored evidence file");
        } catch (SdkException e) {
            throw EvidenceProblems.objectStoreUnavailable(e);
        }
    }

    /** Deletes the object (deleting a missing object succeeds). */
    public void delete(String key) {
        try {
            s3.deleteObject(
                    DeleteObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw EvidenceProblems.objectStoreUnavailable(e);
        }
    }

    /**
     * Deletes every object whose key starts with {@code prefix}, listing them page by page; returns how many files
     * it deleted (folder markers not counted). Objects are deleted one request each: the batch delete needs a checksum header that not every
     * S3-API store takes, and a workspace's purge is not a hot path.
     */
    public long deleteUnder(String prefix) {
        long deleted = 0;
        try {
            String token = null;
            do {
                ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                        .bucket(bucket)
                        .prefix(prefix)
                        .continuationToken(token)
                        .build());
                for (S3Object object : page.contents()) {
                    delete(object.key());
                    // A folder marker ("…/", which some stores list) is deleted too, but is no file of the workspace.
                    if (!object.key().endsWith("/")) {
                        deleted++;
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw EvidenceProblems.objectStoreUnavailable(e);
        }
        return deleted;
    }

    @PreDestroy
    void close() {
        s3.close();
    }

    /** Buffers one part; uploads parts as they fill; hashes everything written. */
    private final class PartSink extends OutputStream {

        private final String key;
        private final byte[] buffer = new byte[partBytes];
        private final MessageDigest sha256 = sha256();
        private final List<CompletedPart> parts = new ArrayList<>();
        private int filled;
        private long total;
        private String uploadId;

        PartSink(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            sha256.update(bytes, offset, length);
            total += length;
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == buffer.length) {
                    flushPart();
                }
            }
        }

        private void flushPart() {
            if (uploadId == null) {
                CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType("application/octet-stream");
                if (sse != null) {
                    create.serverSideEncryption(sse);
                }
                uploadId = s3.createMultipartUpload(create.build()).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(
                            UploadPartRequest.builder()
                                    .bucket(bucket)
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(number)
                                    .contentLength((long) filled)
                                    .build(),
                            RequestBody.fromInputStream(new java.io.ByteArrayInputStream(buffer, 0, filled), filled))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        }

        StoredObject complete() {
            if (uploadId == null) {
                PutObjectRequest.Builder put = PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType("application/octet-stream")
                        .contentLength((long) filled);
                if (sse != null) {
                    put.serverSideEncryption(sse);
                }
                s3.putObject(
                        put.build(),
                        RequestBody.fromInputStream(new java.io.ByteArrayInputStream(buffer, 0, filled), filled));
            } else {
                if (filled > 0) {
                    flushPart();
                }
                s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(
                                CompletedMultipartUpload.builder().parts(parts).build())
                        .build());
            }
            return new StoredObject(total, HexFormat.of().formatHex(sha256.digest()));
        }

        void abort() {
            try {
                if (uploadId != null) {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .build());
                }
            } catch (SdkException e) {
                // The bucket's lifecycle rule removes incomplete multipart uploads; the parts hold ciphertext only.
                LOG.warnf(
                        "could not abort the multipart upload of %s: %s",
                        key, e.getClass().getSimpleName());
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

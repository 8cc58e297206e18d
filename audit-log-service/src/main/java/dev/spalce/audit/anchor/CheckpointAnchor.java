package dev.spalce.audit.anchor;

import dev.spalce.audit.config.AuditConfig;
import dev.spalce.auditchain.AuditExport;
import dev.spalce.auditchain.Checkpoint;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Signed checkpoints kept outside the database: one object per checkpoint in a write-once bucket (S3 Object Lock
 * in compliance mode in production: not even the account's root can delete or overwrite an object before its
 * retention ends). The object's body is the checkpoint line of the export format, so the bucket's content can be
 * handed to the offline verifier as it is ({@code --anchors}). Keys are
 * {@code <prefix><workspace>/<19 digits: Long.MAX_VALUE - seq>-<seq>.json}: a listing returns a workspace's newest
 * checkpoint first. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class CheckpointAnchor {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public CheckpointAnchor(AuditConfig config) {
        AuditConfig.Anchor settings = config.anchor();
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                // The objects are signed statements: their integrity is the signature's. The optional trailing
                // checksums are not understood by every S3-API store, so they are sent only where required.
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
    }

    /** Writes one checkpoint. */
    public void put(Checkpoint checkpoint) {
        s3.putObject(
                request -> request.bucket(bucket)
                        .key(key(checkpoint.workspaceId(), checkpoint.seq()))
                        .contentType("application/json"),
                RequestBody.fromString(AuditExport.checkpointLine(checkpoint), StandardCharsets.UTF_8));
    }

    /** The workspace's newest anchored checkpoint. */
    public Optional<Checkpoint> latest(String workspaceId) {
        ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(workspacePrefix(workspaceId))
                .maxKeys(1)
                .build());
        return page.contents().stream().findFirst().map(object -> read(object.key()));
    }

    /** Every anchored checkpoint of the workspace, newest first. */
    public List<Checkpoint> all(String workspaceId) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(workspacePrefix(workspaceId))
                .build())) {
            for (S3Object object : page.contents()) {
                checkpoints.add(read(object.key()));
            }
        }
        return checkpoints;
    }

    private Checkpoint read(String key) {
        String body =
                s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        return AuditExport.parseAnchor(body);
    }

    private String workspacePrefix(String workspaceId) {
        return prefix + workspaceId + "/";
    }

    String key(String workspaceId, long seq) {
        return workspacePrefix(workspaceId) + String.format("%019d-%d.json", Long.MAX_VALUE - seq, seq);
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}

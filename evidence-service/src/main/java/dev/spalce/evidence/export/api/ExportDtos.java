package dev.spalce.evidence.export.api;

import dev.spalce.evidence.export.model.WorkspaceExport;
import java.time.Instant;
import java.util.List;

/** What the export API answers. */
public final class ExportDtos {

    private ExportDtos() {}

    /**
     * An export and its progress: {@code recordsDone} of {@code recordsTotal} records and evidence objects written;
     * {@code archiveBytes} and {@code archiveSha256} once completed, {@code error} once failed.
     */
    public record ExportView(
            String id,
            String state,
            String requestedBy,
            Instant requestedAt,
            Instant finishedAt,
            long recordsTotal,
            long recordsDone,
            double percent,
            Long archiveBytes,
            String archiveSha256,
            String error) {

        public static ExportView of(WorkspaceExport export) {
            double percent = export.recordsTotal == 0
                    ? (WorkspaceExport.RUNNING.equals(export.state) ? 0 : 100)
                    : Math.min(100.0, 100.0 * export.recordsDone / export.recordsTotal);
            return new ExportView(
                    export.id.toString(),
                    export.state,
                    export.requestedBy,
                    export.requestedAt,
                    export.finishedAt,
                    export.recordsTotal,
                    export.recordsDone,
                    Math.round(percent * 10) / 10.0,
                    export.archiveBytes,
                    export.archiveSha256,
                    export.error);
        }
    }

    /** The workspace's newest exports, newest first. */
    public record ExportList(List<ExportView> items) {}

    /** The public key export manifests are signed with: Ed25519, X.509 SubjectPublicKeyInfo DER in base64. */
    public record SigningKey(String algorithm, String keyId, String publicKey) {}
}

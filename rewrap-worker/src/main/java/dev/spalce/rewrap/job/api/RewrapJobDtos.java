package dev.spalce.rewrap.job.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.spalce.contracts.rewrap.RewrapProgress.State;
import dev.spalce.rewrap.job.model.RewrapJob;
import java.time.Instant;
import java.util.List;

/** The JSON of the rewrap job API. */
public final class RewrapJobDtos {

    private RewrapJobDtos() {}

    /** Ask for a rewrap; without {@code targetKmsKeyId}, to the workspace's current CMK version. */
    public record RewrapRequest(String targetKmsKeyId) {}

    /**
     * A job. {@code done} counts data keys moved so far; {@code total} those not on the target version when the
     * current pass began; {@code skipped} those changed by live traffic during a batch, which the next pass picks
     * up again.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(
            String id,
            String workspaceId,
            String targetKmsKeyId,
            State state,
            long done,
            long total,
            long skipped,
            int pass,
            String requestedBy,
            String lastError,
            Instant createdAt,
            Instant updatedAt,
            Instant finishedAt,
            Boolean joined) {

        public static JobView of(RewrapJob job) {
            return of(job, null);
        }

        public static JobView of(RewrapJob job, Boolean joined) {
            return new JobView(
                    job.id.toString(),
                    job.workspaceId,
                    job.targetKmsKeyId,
                    job.state,
                    job.done,
                    job.total,
                    job.skipped,
                    job.pass,
                    job.requestedBy,
                    job.lastError,
                    job.createdAt,
                    job.updatedAt,
                    job.finishedAt,
                    joined);
        }
    }

    /** A workspace's latest jobs, newest first. */
    public record JobList(List<JobView> items) {}
}

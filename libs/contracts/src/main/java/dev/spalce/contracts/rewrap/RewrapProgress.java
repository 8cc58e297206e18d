package dev.spalce.contracts.rewrap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code data} of a {@code rewrap.progress} event on {@link dev.spalce.contracts.Topic#REWRAP_PROGRESS}:
 * where one rewrap job stands. rewrap-worker publishes it at least once a second while a job runs and once
 * when it changes state; the gateway streams it to the dashboard.
 *
 * @param jobId the job
 * @param targetKmsKeyId the key version every data key is being moved to
 * @param state where the job is
 * @param done records re-wrapped so far
 * @param total records that were not on the target version when the job (or its latest pass) started
 * @param ratePerSecond records per second over the last few seconds
 * @param etaSeconds estimated seconds to completion at that rate; absent when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewrapProgress(
        String jobId,
        String targetKmsKeyId,
        State state,
        long done,
        long total,
        double ratePerSecond,
        Long etaSeconds) {

    public static final String TYPE = "rewrap.progress";

    public RewrapProgress {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(targetKmsKeyId, "targetKmsKeyId");
        Objects.requireNonNull(state, "state");
        if (done < 0 || total < 0) {
            throw new IllegalArgumentException("done and total are counts");
        }
    }

    /** A job's state. */
    public enum State {
        RUNNING,
        PAUSED,
        FAILED,
        COMPLETED,
        CANCELLED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

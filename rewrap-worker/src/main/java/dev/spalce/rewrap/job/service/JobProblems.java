package dev.spalce.rewrap.job.service;

import dev.spalce.kit.api.ProblemException;
import dev.spalce.rewrap.job.model.JobTransitions.IllegalJobStateChangeException;

/**
 * rewrap-worker's problem types, beyond the kit's {@code invalid-request}, {@code not-found} and
 * {@code forbidden}:
 *
 * <table>
 *   <tr><th>type</th><th>status</th><th>meaning</th></tr>
 *   <tr><td>workspace-key-unknown</td><td>409</td><td>no CMK version of the workspace is known yet (none registered)</td></tr>
 *   <tr><td>target-not-current</td><td>409</td><td>the target is not the workspace's current CMK version: data keys are only ever moved to the current one</td></tr>
 *   <tr><td>invalid-job-state-change</td><td>409</td><td>e.g. pausing a completed job</td></tr>
 * </table>
 */
public final class JobProblems {

    private JobProblems() {}

    static ProblemException jobNotFound(String id) {
        return ProblemException.notFound("rewrap job", id);
    }

    static ProblemException workspaceKeyUnknown(String workspaceId) {
        return new ProblemException(
                409,
                "workspace-key-unknown",
                "No master key known",
                "no customer master key version is known for workspace '" + workspaceId
                        + "': register one before asking for a rewrap");
    }

    static ProblemException targetNotCurrent(String target, String current) {
        return new ProblemException(
                409,
                "target-not-current",
                "Not the current key version",
                "data keys are moved to the current version, " + current + ", not to " + target);
    }

    static ProblemException invalidStateChange(IllegalJobStateChangeException e) {
        return new ProblemException(409, "invalid-job-state-change", "Invalid job state change", e.getMessage());
    }
}

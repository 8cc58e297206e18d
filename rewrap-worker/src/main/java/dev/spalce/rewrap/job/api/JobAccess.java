package dev.spalce.rewrap.job.api;

import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.security.Caller;
import dev.spalce.rewrap.job.config.JobConfig;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;

/**
 * Who may see and steer a workspace's rewrap jobs. The gateway decides by role (docs/permissions.md:
 * read-rewrap-jobs for Owners and Auditors, trigger-rewrap for Owners) and names the role in its internal token;
 * this checks it again, so that a gateway bug cannot turn an Auditor into someone who cancels jobs. A user's
 * token is good for the workspace it names only (404 for any other); a service needs to be on the allow-list.
 */
@RequestScoped
public class JobAccess {

    private static final Set<String> READ_ROLES = Set.of("OWNER", "AUDITOR");
    private static final Set<String> MANAGE_ROLES = Set.of("OWNER");

    private final Caller caller;
    private final JobConfig config;

    public JobAccess(Caller caller, JobConfig config) {
        this.caller = caller;
        this.config = config;
    }

    public void requireRead(String workspaceId) {
        require(workspaceId, READ_ROLES, config.readers());
    }

    /** @return the actor to attribute the change to */
    public Actor requireManage(String workspaceId) {
        require(workspaceId, MANAGE_ROLES, config.managers());
        return caller.isUserThroughGateway() ? Actor.user(caller.subject()) : Actor.service(caller.subject());
    }

    private void require(String workspaceId, Set<String> roles, Set<String> services) {
        caller.requireWorkspaceOrService(workspaceId, services);
        if (caller.isUserThroughGateway() && !roles.contains(caller.role())) {
            throw new ProblemException(403, "forbidden", "Forbidden",
                    "the role " + caller.role() + " may not do this with rewrap jobs");
        }
    }
}

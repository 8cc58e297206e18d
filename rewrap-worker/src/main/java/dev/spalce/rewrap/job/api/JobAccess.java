package dev.spalce.rewrap.job.api;

import dev.spalce.contracts.access.Permission;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.kit.security.Caller;
import dev.spalce.rewrap.job.config.JobConfig;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;

/**
 * Who may see and steer a workspace's rewrap jobs. The gateway decides by role (docs/permissions.md:
 * read-rewrap-jobs for Owners and Auditors, trigger-rewrap for Owners) and names the role in its internal token;
 * {@link Caller} checks it again against the same permission matrix, so that a gateway bug cannot turn an Auditor
 * into someone who cancels jobs. A user's token is good for the workspace it names only (404 for any other); a
 * service needs to be on the allow-list.
 */
@RequestScoped
public class JobAccess {

    private final Caller caller;
    private final JobConfig config;

    public JobAccess(Caller caller, JobConfig config) {
        this.caller = caller;
        this.config = config;
    }

    public void requireRead(String workspaceId) {
        require(workspaceId, Permission.READ_REWRAP_JOBS, config.readers());
    }

    /** @return the actor to attribute the change to */
    public Actor requireManage(String workspaceId) {
        require(workspaceId, Permission.TRIGGER_REWRAP, config.managers());
        return caller.isUserThroughGateway() ? Actor.user(caller.subject()) : Actor.service(caller.subject());
    }

    private void require(String workspaceId, Permission permission, Set<String> services) {
        if (caller.isUserThroughGateway()) {
            caller.requirePermission(workspaceId, permission);
        } else {
            caller.requireService(services);
        }
    }
}

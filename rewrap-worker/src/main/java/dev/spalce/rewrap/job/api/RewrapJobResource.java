package dev.spalce.rewrap.job.api;

import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.rewrap.job.api.RewrapJobDtos.JobList;
import dev.spalce.rewrap.job.api.RewrapJobDtos.JobView;
import dev.spalce.rewrap.job.api.RewrapJobDtos.RewrapRequest;
import dev.spalce.rewrap.job.service.RewrapJobService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A workspace's rewrap jobs. The gateway routes {@code /api/v1/workspaces/{workspace}/rewrap-jobs/...} here with
 * its internal token; see {@link JobAccess} for who may do what.
 */
@Path("/internal/v1/workspaces/{workspace}/rewrap-jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RewrapJobResource {

    private final RewrapJobService jobs;
    private final JobAccess access;

    public RewrapJobResource(RewrapJobService jobs, JobAccess access) {
        this.jobs = jobs;
        this.access = access;
    }

    @GET
    public Uni<JobList> list(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        access.requireRead(workspace);
        return jobs.list(workspace)
                .map(list -> new JobList(list.stream().map(JobView::of).toList()));
    }

    @GET
    @Path("/{job}")
    public Uni<JobView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("job") UUID job) {
        access.requireRead(workspace);
        return jobs.get(workspace, job).map(JobView::of);
    }

    /** Starts a rewrap (202), or joins the one already running for that target (200). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<JobView>> request(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace, RewrapRequest request) {
        var actor = access.requireManage(workspace);
        String target = request == null ? null : request.targetKmsKeyId();
        return jobs.request(workspace, target, actor).map(outcome -> {
            JobView view = JobView.of(outcome.job(), outcome.joined());
            URI location = URI.create("/internal/v1/workspaces/" + workspace + "/rewrap-jobs/" + outcome.job().id);
            return outcome.joined()
                    ? RestResponse.ResponseBuilder.ok(view).location(location).build()
                    : RestResponse.ResponseBuilder.<JobView>accepted()
                            .entity(view)
                            .location(location)
                            .build();
        });
    }

    @POST
    @Path("/{job}/pause")
    public Uni<JobView> pause(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("job") UUID job) {
        return jobs.pause(workspace, job, access.requireManage(workspace)).map(JobView::of);
    }

    @POST
    @Path("/{job}/resume")
    public Uni<JobView> resume(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("job") UUID job) {
        return jobs.resume(workspace, job, access.requireManage(workspace)).map(JobView::of);
    }

    @POST
    @Path("/{job}/cancel")
    public Uni<JobView> cancel(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("job") UUID job) {
        return jobs.cancel(workspace, job, access.requireManage(workspace)).map(JobView::of);
    }
}

package dev.spalce.evidence.export.api;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.RecordIds;
import dev.spalce.evidence.common.service.SignedFetches;
import dev.spalce.evidence.export.api.ExportDtos.ExportList;
import dev.spalce.evidence.export.api.ExportDtos.ExportView;
import dev.spalce.evidence.export.api.ExportDtos.SigningKey;
import dev.spalce.evidence.export.service.ExportService;
import dev.spalce.evidence.export.service.ExportSigner;
import dev.spalce.evidence.file.api.EvidenceDtos.DownloadUrl;
import dev.spalce.evidence.file.service.DownloadUrls;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

/**
 * Workspace exports, for Owners through the gateway (docs/export.md, docs/permissions.md: export-workspace; the
 * signing key also for Auditors). Maps HTTP only; {@link ExportService} does the work.
 */
@Path("/internal/v1/workspaces/{workspace}/exports")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    /** A signed URL's fetch and its refusal, as audited. */
    private static final SignedFetches.Actions FETCH =
            new SignedFetches.Actions(AuditAction.EXPORT_CONTENT_FETCHED, AuditAction.EXPORT_SIGNED_URL_REFUSED);

    private final ExportService exports;
    private final ExportSigner signer;
    private final DownloadUrls urls;
    private final SignedFetches fetches;
    private final Caller caller;

    public ExportResource(
            ExportService exports, ExportSigner signer, DownloadUrls urls, SignedFetches fetches, Caller caller) {
        this.exports = exports;
        this.signer = signer;
        this.urls = urls;
        this.fetches = fetches;
        this.caller = caller;
    }

    /** Starts an export: 202 with the export, whose progress {@code GET exports/{id}} follows. */
    @POST
    public Uni<Response> start(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        caller.requirePermittedUser(workspace);
        return exports.start(workspace, Actors.of(caller))
                .map(export -> Response.accepted(ExportView.of(export))
                        .header("Location", "exports/" + export.id)
                        .build());
    }

    /** The workspace's newest exports, newest first. */
    @GET
    public Uni<ExportList> list(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        caller.requirePermittedUser(workspace);
        return exports.list(workspace, limit)
                .map(items -> new ExportList(items.stream().map(ExportView::of).toList()));
    }

    /** The public key every archive's manifest is signed with, to check an archive against. */
    @GET
    @Path("/signing-key")
    public SigningKey signingKey(@PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace) {
        caller.requirePermittedUser(workspace);
        return new SigningKey("Ed25519", signer.keyId(), signer.publicKeyBase64());
    }

    @GET
    @Path("/{id}")
    public Uni<ExportView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return exports.get(workspace, uuid(id)).map(ExportView::of);
    }

    /** A short-lived URL that downloads a completed export's archive (audited); 409 while it is not completed. */
    @GET
    @Path("/{id}/download-url")
    public Uni<DownloadUrl> downloadUrl(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        UUID exportId = uuid(id);
        return exports.authorizeDownload(workspace, exportId, Actors.of(caller))
                .map(export -> DownloadUrl.of(
                        "exports", exportId, urls.sign(DownloadUrls.Purpose.EXPORT, workspace, exportId)));
    }

    /** The archive (a ZIP), streamed from the object store; only with the exact URL {@link #downloadUrl} gave. */
    @GET
    @Path("/{id}/content")
    @Blocking
    @Produces("application/zip")
    public Response content(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id,
            @Context UriInfo uri,
            @Context HttpServerResponse connection) {
        caller.requirePermittedUser(workspace);
        UUID exportId = uuid(id);
        fetches.check(
                workspace,
                ExportService.target(exportId),
                Actors.of(caller),
                FETCH,
                () -> urls.verify(
                        DownloadUrls.Purpose.EXPORT,
                        workspace,
                        id,
                        exportId,
                        uri.getRequestUri().getRawQuery()));
        ExportService.Archive archive = exports.open(workspace, exportId);
        StreamingOutput body = sink -> {
            try (InputStream content = archive.content()) {
                content.transferTo(sink);
            } catch (IOException | RuntimeException e) {
                // A truncated archive must not look complete: break the chunked body off.
                connection.reset();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        };
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"spalce-export-" + exportId + ".zip\"")
                .header("X-Content-SHA256", archive.export().archiveSha256)
                .build();
    }

    private static UUID uuid(String id) {
        return RecordIds.parse(id, "export");
    }
}

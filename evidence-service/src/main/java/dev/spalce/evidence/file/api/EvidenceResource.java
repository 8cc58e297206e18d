package dev.spalce.evidence.file.api;

import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.RecordIds;
import dev.spalce.evidence.common.service.SignedFetches;
import dev.spalce.evidence.file.api.EvidenceDtos.DownloadUrl;
import dev.spalce.evidence.file.api.EvidenceDtos.EvidencePage;
import dev.spalce.evidence.file.api.EvidenceDtos.EvidenceView;
import dev.spalce.evidence.file.service.DownloadUrls;
import dev.spalce.evidence.file.service.EvidenceService;
import dev.spalce.evidence.file.service.EvidenceService.Download;
import dev.spalce.evidence.file.service.EvidenceService.PageRequest;
import dev.spalce.evidence.file.service.EvidenceService.UploadRequest;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.ProblemResponses;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Evidence files of one workspace, for users through the gateway (which has checked their role: see
 * docs/permissions.md). Maps HTTP only; {@link EvidenceService} does the work.
 */
@Path("/internal/v1/workspaces/{workspace}/evidence")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EvidenceResource {

    /** A file name: no path separators, control or bidirectional control characters (which can disguise an extension). */
    private static final String NAME =
            "[^/\\\\\\p{Cntrl}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}\\x{200E}\\x{200F}\\x{061C}]{1,255}";

    private static final String LABEL = "[A-Za-z0-9][A-Za-z0-9._:-]{0,63}";

    /** What a download may have queued on its connection before the thread writing it waits: bounded memory. */
    private static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    /** A signed URL's fetch and its refusal, as audited. */
    private static final SignedFetches.Actions FETCH =
            new SignedFetches.Actions(AuditAction.EVIDENCE_CONTENT_FETCHED, AuditAction.EVIDENCE_SIGNED_URL_REFUSED);

    private final EvidenceService evidence;
    private final DownloadUrls urls;
    private final SignedFetches fetches;
    private final Caller caller;

    public EvidenceResource(EvidenceService evidence, DownloadUrls urls, SignedFetches fetches, Caller caller) {
        this.evidence = evidence;
        this.urls = urls;
        this.fetches = fetches;
        this.caller = caller;
    }

    /**
     * Uploads a file: the body is the file itself (streamed, never buffered whole), its {@code Content-Type} its
     * media type; name, control and tags come as query parameters.
     */
    @APIResponse(responseCode = "413", ref = ProblemResponses.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_CONTENT)
    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    public Response upload(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("name") @Pattern(regexp = NAME) String name,
            @QueryParam("control") @Pattern(regexp = LABEL) String control,
            @QueryParam("tag") List<@Pattern(regexp = LABEL) String> tags,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            InputStream content) {
        caller.requirePermittedUser(workspace);
        if (name == null) {
            throw ProblemException.invalid("the query parameter 'name' (the file's name) is required");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        EvidenceView view = EvidenceView.of(evidence.upload(
                workspace,
                Actors.of(caller),
                new UploadRequest(
                        name,
                        mediaType,
                        control,
                        tags == null ? List.of() : List.copyOf(Set.copyOf(tags)),
                        contentLength),
                content));
        return Response.status(201).entity(view).build();
    }

    /** A page of the workspace's evidence, newest first, filtered by control, tag and upload time. */
    @GET
    public Uni<EvidencePage> list(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("control") @Pattern(regexp = LABEL) String control,
            @QueryParam("tag") @Pattern(regexp = LABEL) String tag,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        caller.requirePermittedUser(workspace);
        return evidence.list(
                        workspace,
                        new PageRequest(control, tag, instant("from", from), instant("to", to), cursor, limit))
                .map(page -> new EvidencePage(
                        page.items().stream().map(EvidenceView::of).toList(), page.nextCursor()));
    }

    @GET
    @Path("/{id}")
    public Uni<EvidenceView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return evidence.get(workspace, uuid(id)).map(EvidenceView::of);
    }

    /** A short-lived URL that downloads this file (audited as a download by this caller). */
    @GET
    @Path("/{id}/download-url")
    public Uni<DownloadUrl> downloadUrl(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        UUID evidenceId = uuid(id);
        return evidence.authorizeDownload(workspace, evidenceId, Actors.of(caller))
                .map(file -> DownloadUrl.of("evidence", evidenceId, urls.sign(workspace, evidenceId)));
    }

    /**
     * The decrypted file, streamed; only with the exact URL {@link #downloadUrl} gave. A failure found before
     * the first byte (the first chunk, or a small file whole, is checked first) is a typed problem; one found
     * later breaks the connection off mid-body (the body is chunked, so the client sees a transfer without its
     * end, never a complete-looking file).
     */
    @APIResponse(responseCode = "422", ref = ProblemResponses.RECORD_UNREADABLE)
    @GET
    @Path("/{id}/content")
    @Blocking
    @Produces(MediaType.WILDCARD)
    public Response content(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id,
            @Context UriInfo uri,
            @Context HttpServerResponse connection) {
        caller.requirePermittedUser(workspace);
        UUID evidenceId = uuid(id);
        fetches.check(
                workspace,
                EvidenceService.target(evidenceId),
                Actors.of(caller),
                FETCH,
                () -> urls.verify(workspace, id, evidenceId, uri.getRequestUri().getRawQuery()));
        Download download = evidence.download(workspace, evidenceId, Actors.of(caller));
        // The worker thread writing the file waits whenever the connection's write queue is full (64 KiB by
        // default, a single piece): with room for a few pieces it decrypts the next while the event loop sends.
        connection.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        StreamingOutput body = sink -> {
            try {
                download.content().writeTo(sink);
            } catch (IOException | RuntimeException e) {
                connection.reset();
                throw e instanceof IOException io ? io : new IOException(e);
            }
        };
        return Response.ok(body, download.file().mediaType)
                .header("Content-Disposition", "attachment; filename=\"evidence-" + evidenceId + "\"")
                .header("X-Content-SHA256", download.file().sha256Plaintext)
                .build();
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return evidence.delete(workspace, uuid(id), Actors.of(caller))
                .map(done -> Response.noContent().build());
    }

    private static UUID uuid(String id) {
        return RecordIds.parse(id, "evidence");
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("'" + name + "' must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
    }
}

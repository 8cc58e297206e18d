package dev.spalce.evidence.personnel.api;

import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.api.RecordIds;
import dev.spalce.evidence.personnel.api.PersonnelDtos.EmailLookup;
import dev.spalce.evidence.personnel.api.PersonnelDtos.PersonInput;
import dev.spalce.evidence.personnel.api.PersonnelDtos.PersonPage;
import dev.spalce.evidence.personnel.api.PersonnelDtos.PersonView;
import dev.spalce.evidence.personnel.service.PersonnelService;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.api.ProblemResponses;
import dev.spalce.kit.api.WorkspaceIds;
import dev.spalce.kit.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Personnel records of one workspace, for users through the gateway (read-personnel / manage-personnel). */
@Path("/internal/v1/workspaces/{workspace}/personnel")
@Authenticated
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PersonnelResource {

    /** The list's only other view: no PII. */
    static final String MASKED = "masked";

    private final PersonnelService personnel;
    private final Caller caller;

    public PersonnelResource(PersonnelService personnel, Caller caller) {
        this.personnel = personnel;
        this.caller = caller;
    }

    @POST
    public Uni<Response> create(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull PersonInput input) {
        caller.requirePermittedUser(workspace);
        return personnel
                .create(workspace, Actors.of(caller), input.data())
                .map(record ->
                        Response.status(201).entity(PersonView.of(record)).build());
    }

    /**
     * A page in creation order (at most 100): decrypted with one unwrap call and audited as a personnel read, or,
     * with {@code view=masked}, without any PII field (nothing unwrapped or decrypted, nothing audited). Both
     * need read-personnel.
     */
    @GET
    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(oneOf = {PersonPage.class, PersonnelService.MaskedPage.class})))
    public Uni<Response> list(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @QueryParam("email") String email,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("view") @Pattern(regexp = MASKED, message = "view is \"" + MASKED + "\" or absent") String view) {
        caller.requirePermittedUser(workspace);
        if (email != null) {
            // An address in a URL ends up in proxies' and ingresses' access logs: the lookup takes it in a body.
            throw ProblemException.invalid("look a person up by email with POST .../personnel/lookup and a body "
                    + "{\"email\": ...}; an email address does not belong in a URL");
        }
        Uni<?> page = view == null
                ? personnel.list(workspace, Actors.of(caller), cursor, limit).map(PersonnelResource::page)
                : personnel.listMasked(workspace, cursor, limit);
        return page.map(entity -> Response.ok(entity).build());
    }

    /** The records whose email is exactly the one in the body, found through the blind index. */
    @POST
    @Path("/lookup")
    public Uni<PersonPage> lookup(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @Valid @NotNull EmailLookup lookup) {
        caller.requirePermittedUser(workspace);
        return personnel
                .findByEmail(workspace, Actors.of(caller), lookup.email())
                .map(PersonnelResource::page);
    }

    @APIResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = PersonView.class)))
    @APIResponse(responseCode = "422", ref = ProblemResponses.RECORD_UNREADABLE)
    @GET
    @Path("/{id}")
    public Uni<PersonView> get(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return personnel.get(workspace, uuid(id), Actors.of(caller)).map(PersonView::of);
    }

    @PUT
    @Path("/{id}")
    public Uni<PersonView> update(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id,
            @Valid @NotNull PersonInput input) {
        caller.requirePermittedUser(workspace);
        return personnel
                .update(workspace, uuid(id), Actors.of(caller), input.data())
                .map(PersonView::of);
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(
            @PathParam("workspace") @Pattern(regexp = WorkspaceIds.PATTERN) String workspace,
            @PathParam("id") String id) {
        caller.requirePermittedUser(workspace);
        return personnel
                .delete(workspace, uuid(id), Actors.of(caller))
                .map(done -> Response.noContent().build());
    }

    private static UUID uuid(String id) {
        return RecordIds.parse(id, "personnel record");
    }

    private static PersonPage page(PersonnelService.Page page) {
        return new PersonPage(page.items().stream().map(PersonView::of).toList(), page.nextCursor());
    }
}

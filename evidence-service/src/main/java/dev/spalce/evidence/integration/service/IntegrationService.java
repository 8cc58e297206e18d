package dev.spalce.evidence.integration.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.audit.AuditAction;
import dev.spalce.contracts.audit.AuditPayload.Actor;
import dev.spalce.contracts.audit.AuditPayload.Target;
import dev.spalce.contracts.audit.Outcome;
import dev.spalce.crypto.AssociatedData;
import dev.spalce.crypto.FieldCiphers;
import dev.spalce.crypto.PayloadFormat;
import dev.spalce.evidence.common.api.Actors;
import dev.spalce.evidence.common.repository.WorkspaceScope;
import dev.spalce.evidence.datakey.service.DataKeys;
import dev.spalce.evidence.integration.model.Integration;
import dev.spalce.evidence.integration.repository.IntegrationRepository;
import dev.spalce.kit.api.ProblemException;
import dev.spalce.kit.audit.AuditTrail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Integrations (AWS keys, OAuth tokens, API tokens): the credentials are encrypted under a fresh DEK before they
 * reach the database and are never returned, logged or audited afterwards; reads show a masked copy. Nothing
 * here decrypts them: the connectors that use them will, on their own path.
 */
@ApplicationScoped
public class IntegrationService {

    /** The record type integration DEKs are minted for. */
    public static final String RECORD_TYPE = "integration";

    static final String FIELD = "credentials";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IntegrationRepository integrations;
    private final WorkspaceScope scope;
    private final DataKeys dataKeys;
    private final AuditTrail audit;

    public IntegrationService(
            IntegrationRepository integrations, WorkspaceScope scope, DataKeys dataKeys, AuditTrail audit) {
        this.integrations = integrations;
        this.scope = scope;
        this.dataKeys = dataKeys;
        this.audit = audit;
    }

    public Uni<Integration> connect(
            String workspaceId, Actor actor, String kind, String name, Map<String, String> credentials) {
        UUID id = UUID.randomUUID();
        Map<String, String> masked = new TreeMap<>();
        credentials.forEach((key, value) -> masked.put(key, mask(value)));
        return dataKeys.mint(workspaceId, RECORD_TYPE, id.toString()).chain(minted -> {
            Integration integration = new Integration();
            byte[] plaintext = serialise(new TreeMap<>(credentials));
            try (minted) {
                integration.credentialsCt = FieldCiphers.aesGcm(minted.dek())
                        .encrypt(plaintext, AssociatedData.forField(workspaceId, RECORD_TYPE, id.toString(), FIELD));
                integration.wrappedDek = minted.wrappedDek();
                integration.kmsKeyId = minted.kmsKeyId();
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
            integration.id = id;
            integration.workspaceId = workspaceId;
            integration.kind = kind;
            integration.name = name;
            integration.credentialsMasked = new String(serialise(masked), java.nio.charset.StandardCharsets.UTF_8);
            integration.formatVersion = (short) PayloadFormat.FIELD_AES_GCM.version();
            integration.connectedBy = Actors.stored(actor);
            integration.connectedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return scope.transaction(
                    workspaceId,
                    () -> integrations
                            .persist(integration)
                            .call(() -> audit.record(
                                    workspaceId,
                                    AuditAction.INTEGRATION_CONNECTED,
                                    actor,
                                    target(id),
                                    Outcome.SUCCESS,
                                    Map.of("kind", kind))));
        });
    }

    public Uni<List<Integration>> list(String workspaceId) {
        return scope.transaction(workspaceId, () -> integrations.all(workspaceId));
    }

    public Uni<Integration> get(String workspaceId, UUID id) {
        return scope.transaction(workspaceId, () -> integrations.find(workspaceId, id))
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("integration", id.toString()));
    }

    public Uni<Void> disconnect(String workspaceId, UUID id, Actor actor) {
        return scope.transaction(
                workspaceId,
                () -> integrations
                        .find(workspaceId, id)
                        .onItem()
                        .ifNull()
                        .failWith(() -> ProblemException.notFound("integration", id.toString()))
                        .call(integrations::delete)
                        .call(integration -> audit.record(
                                workspaceId,
                                AuditAction.INTEGRATION_DISCONNECTED,
                                actor,
                                target(id),
                                Outcome.SUCCESS,
                                Map.of("kind", integration.kind)))
                        .replaceWithVoid());
    }

    /** The masked credentials of a stored integration. */
    public static Map<String, String> masked(Integration integration) {
        try {
            return JSON.readValue(
                    integration.credentialsMasked,
                    JSON.getTypeFactory().constructMapType(TreeMap.class, String.class, String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("masked credentials of integration " + integration.id + " unreadable");
        }
    }

    /** The last four characters of a long value, nothing of a short one. */
    static String mask(String value) {
        return value.length() >= 16 ? "****" + value.substring(value.length() - 4) : "****";
    }

    private static byte[] serialise(Map<String, String> values) {
        try {
            return JSON.writeValueAsBytes(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise credentials", e);
        }
    }

    private static Target target(UUID id) {
        return new Target("integration", id.toString());
    }
}

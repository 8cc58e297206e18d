package dev.spalce.gateway.deletion.client;

import dev.spalce.contracts.access.Service;
import dev.spalce.contracts.deletion.WorkspaceShredding;
import dev.spalce.contracts.deletion.WorkspaceShredding.DataPurgeResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.KeyShreddingResult;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealRequest;
import dev.spalce.contracts.deletion.WorkspaceShredding.SealResult;
import dev.spalce.gateway.config.DownstreamServices;
import dev.spalce.gateway.config.GatewayConfig;
import dev.spalce.gateway.downstream.client.ServiceTokenFilters;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The internal calls of a workspace's purge ({@link WorkspaceShredding}), over mutual TLS, each with the gateway's
 * own service token for its target's audience: the services allow these operations to the gateway's identity alone.
 */
@ApplicationScoped
public class ShreddingClients {

    /** crypto-service: shred the workspace's keys. */
    @Path(WorkspaceShredding.KEYS_PATH)
    public interface Keys {
        @POST
        @Produces(MediaType.APPLICATION_JSON)
        Uni<KeyShreddingResult> shred(@PathParam("workspace") String workspace);
    }

    /** evidence-service: delete the workspace's rows and objects. */
    @Path(WorkspaceShredding.DATA_PATH)
    public interface Data {
        @POST
        @Produces(MediaType.APPLICATION_JSON)
        Uni<DataPurgeResult> purge(@PathParam("workspace") String workspace);
    }

    /** audit-log-service: seal the workspace's chain. */
    @Path(WorkspaceShredding.SEAL_PATH)
    public interface Seal {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<SealResult> seal(@PathParam("workspace") String workspace, SealRequest request);
    }

    private final Keys keys;
    private final Data data;
    private final Seal seal;

    public ShreddingClients(
            DownstreamServices services,
            ServiceTokenFilters tokens,
            TlsConfigurationRegistry registry,
            GatewayConfig config) {
        TlsConfiguration tls = InternalTransport.configuration(registry);
        Duration timeout = config.purgeCallTimeout();
        this.keys = client(services.cryptoUrl(), tokens.forTarget(Service.CRYPTO), tls, timeout, Keys.class);
        this.data = client(services.evidenceUrl(), tokens.forTarget(Service.EVIDENCE), tls, timeout, Data.class);
        this.seal = client(services.auditUrl(), tokens.forTarget(Service.AUDIT), tls, timeout, Seal.class);
    }

    public Keys keys() {
        return keys;
    }

    public Data data() {
        return data;
    }

    public Seal seal() {
        return seal;
    }

    private static <T> T client(
            URI baseUri, Object serviceToken, TlsConfiguration tls, Duration timeout, Class<T> type) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .register(serviceToken)
                .tlsConfiguration(tls)
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(type);
    }
}

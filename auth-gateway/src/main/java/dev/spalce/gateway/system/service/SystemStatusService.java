package dev.spalce.gateway.system.service;

import dev.spalce.contracts.access.Service;
import dev.spalce.gateway.config.DownstreamServices;
import dev.spalce.gateway.downstream.client.ServiceStatusClient;
import dev.spalce.gateway.downstream.client.ServiceTokenFilters;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Asks every internal service, concurrently, whether it is ready; an unreachable one is reported DOWN. */
@ApplicationScoped
public class SystemStatusService {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Map<String, ServiceStatusClient> clients = new LinkedHashMap<>();

    public SystemStatusService(
            DownstreamServices services, ServiceTokenFilters tokens, TlsConfigurationRegistry registry) {
        TlsConfiguration tls = InternalTransport.configuration(registry);
        clients.put("evidence-service", client(services.evidenceUrl(), tokens.forTarget(Service.EVIDENCE), tls));
        clients.put("crypto-service", client(services.cryptoUrl(), tokens.forTarget(Service.CRYPTO), tls));
        clients.put("rewrap-worker", client(services.rewrapUrl(), tokens.forTarget(Service.REWRAP), tls));
        clients.put("audit-log-service", client(services.auditUrl(), tokens.forTarget(Service.AUDIT), tls));
    }

    /** @param status {@code UP} or {@code DOWN} */
    public record Status(String status) {
        static final Status DOWN = new Status("DOWN");
    }

    public Uni<Map<String, Status>> statuses() {
        List<String> names = List.copyOf(clients.keySet());
        List<Uni<Status>> calls = names.stream()
                .map(name -> clients.get(name)
                        .status()
                        .map(reply -> new Status(reply.status()))
                        .ifNoItem()
                        .after(TIMEOUT)
                        .fail()
                        .onFailure()
                        .recoverWithItem(Status.DOWN))
                .toList();
        return Uni.join().all(calls).andFailFast().map(results -> {
            Map<String, Status> byService = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byService.put(names.get(i), results.get(i));
            }
            return byService;
        });
    }

    private static ServiceStatusClient client(URI baseUri, Object serviceToken, TlsConfiguration tls) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .register(serviceToken)
                .tlsConfiguration(tls)
                .connectTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build(ServiceStatusClient.class);
    }
}

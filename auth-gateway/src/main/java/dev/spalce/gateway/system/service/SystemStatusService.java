package dev.spalce.gateway.system.service;

import dev.spalce.gateway.config.DownstreamServices;
import dev.spalce.gateway.downstream.ServiceStatusClient;
import dev.spalce.kit.transport.InternalTransport;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
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

    public SystemStatusService(DownstreamServices services, TlsConfigurationRegistry registry) {
        TlsConfiguration tls = InternalTransport.configuration(registry);
        clients.put("evidence-service", client(services.evidenceUrl(), tls));
        clients.put("crypto-service", client(services.cryptoUrl(), tls));
        clients.put("rewrap-worker", client(services.rewrapUrl(), tls));
        clients.put("audit-log-service", client(services.auditUrl(), tls));
    }

    /** @param status {@code UP} or {@code DOWN} */
    public record Status(String status) {
        static final Status DOWN = new Status("DOWN");
    }

    public Uni<Map<String, Status>> statuses() {
        List<String> names = List.copyOf(clients.keySet());
        List<Uni<Status>> calls = names.stream()
                .map(name -> clients.get(name).status()
                        .map(reply -> new Status(reply.status()))
                        .ifNoItem().after(TIMEOUT).fail()
                        .onFailure().recoverWithItem(Status.DOWN))
                .toList();
        return Uni.join().all(calls).andFailFast().map(results -> {
            Map<String, Status> byService = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byService.put(names.get(i), results.get(i));
            }
            return byService;
        });
    }

    private static ServiceStatusClient client(URI baseUri, TlsConfiguration tls) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .tlsConfiguration(tls)
                .connectTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build(ServiceStatusClient.class);
    }
}

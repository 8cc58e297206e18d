package dev.spalce.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Puts a {@code @QuarkusTest} on the shared real infrastructure:
 * {@code @WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)}.
 * The services' test profile already points at it; this makes sure it is there.
 */
public class SpalceInfrastructure implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Infrastructure.ensureReady();
        // Where the local runtime keeps the gateway's public TLS certificate (only the gateway reads these), the
        // internal PKI, in which the service under test finds its own key pair by its name, and where an internal
        // service fetches the key of the gateway's internal tokens: GatewayTokens plays the gateway.
        return Map.of(
                "spalce.tls.certificate",
                Infrastructure.tlsCertificate().toString(),
                "spalce.tls.key",
                Infrastructure.tlsKey().toString(),
                "spalce.internal-tls.dir",
                InternalTls.directory().toString(),
                "spalce.internal-token.gateway-url",
                GatewayTokens.startKeyEndpoint());
    }

    @Override
    public void stop() {
        // Shared by every test class and module: stopped by whoever started it (see Infrastructure).
    }
}

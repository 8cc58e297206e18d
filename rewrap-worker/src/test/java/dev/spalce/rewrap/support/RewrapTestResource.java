package dev.spalce.rewrap.support;

import dev.spalce.testsupport.GatewayTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** rewrap-worker's {@code @QuarkusTest}s: the gateway's token keys, served by {@link GatewayTokens}. */
public class RewrapTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("spalce.internal-token.gateway-url", GatewayTokens.startKeyEndpoint());
    }

    @Override
    public void stop() {
        GatewayTokens.stopKeyEndpoint();
    }
}

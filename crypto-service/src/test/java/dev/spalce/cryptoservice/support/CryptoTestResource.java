package dev.spalce.cryptoservice.support;

import dev.spalce.keyproviders.testing.SoftHsmToken;
import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.Infrastructure;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration of crypto-service's {@code @QuarkusTest}s: the pkcs11 provider on the SoftHSM2 token (when this
 * machine can have one), a rotation scheduler that looks every second, a short provider deadline for the outage
 * tests, the gateway's token keys served by {@link GatewayTokens}, and a schema and role of their own. Scope GLOBAL: every test class shares one application.
 *
 * <p>The schema and role are new for every test run and dropped at its end. They keep these tests apart from
 * any other crypto-service on the same test database, such as the one e2e-tests runs (schema {@code crypto}) or a
 * concurrent run of this module: another instance's outbox relay would publish events these tests expect to stay
 * unpublished, and its rotation scheduler (with another keystore) would pick up keys these tests made due.
 */
public class CryptoTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String RUN = String.format("%08x", new java.security.SecureRandom().nextInt());

    /** The schema of this test run's registry and outbox. */
    public static final String SCHEMA = "crypto_t" + RUN;

    /** The database role the service runs as in this test run. */
    public static final String APP_USER = "spalce_crypto_t" + RUN;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.put("spalce.internal-token.gateway-url", GatewayTokens.startKeyEndpoint());
        config.put("spalce.db.schema", SCHEMA);
        config.put("spalce.db.app-user", APP_USER);
        config.put("spalce.crypto.rotation.check-interval", "1s");
        config.put("spalce.crypto.provider-calls.timeout", "2s");
        config.putAll(dev.spalce.keyproviders.testing.KmsTestServers.start());
        SoftHsmToken.get()
                .ifPresentOrElse(
                        token -> {
                            config.put("spalce.crypto.pkcs11.enabled", "true");
                            config.put(
                                    "spalce.crypto.pkcs11.library",
                                    token.library().toString());
                            config.put("spalce.crypto.pkcs11.slot", Long.toString(token.slot()));
                            config.put("spalce.crypto.pkcs11.pin", SoftHsmToken.USER_PIN);
                        },
                        () -> config.put("spalce.crypto.pkcs11.enabled", "false"));
        return config;
    }

    @Override
    public void stop() {
        GatewayTokens.stopKeyEndpoint();
        dev.spalce.keyproviders.testing.KmsTestServers.stop();
        // The SoftHSM2 token and the local keystore stay under target/ until mvn clean; the schema goes now.
        for (String statement : new String[] {
            "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
            "DROP OWNED BY " + APP_USER,
            "DROP ROLE IF EXISTS " + APP_USER
        }) {
            try (Connection admin = Infrastructure.adminConnection();
                    Statement sql = admin.createStatement()) {
                sql.execute(statement);
            } catch (SQLException e) {
                System.err.println("[crypto-test] could not clean up (" + statement + "): " + e.getMessage());
            }
        }
    }
}

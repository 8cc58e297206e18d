package dev.spalce.evidence.support;

import dev.spalce.testsupport.GatewayTokens;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * evidence-service's tests run against a real crypto-service: its packaged jar, started here as a process on free
 * ports (ServiceProcess), with the gateway's token keys served by GatewayTokens. Both services get a schema and
 * role of their own for this run, dropped at its end, so that neither meets another instance's rows or outbox
 * (e2e-tests, a concurrent run). Scope GLOBAL: every test class shares one crypto-service.
 */
public class EvidenceTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String RUN = String.format("%08x", new SecureRandom().nextInt());

    /** This run's evidence schema and role. */
    public static final String SCHEMA = "evidence_t" + RUN;

    public static final String APP_USER = "spalce_evidence_t" + RUN;

    private static final String CRYPTO_SCHEMA = "crypto_ev" + RUN;
    private static final String CRYPTO_USER = "spalce_crypto_ev" + RUN;

    /** Largest upload in this profile: small enough that the limit test stays quick. */
    public static final long MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

    private static ServiceProcess crypto;

    /** crypto-service's base URL, for registering a workspace's CMK. */
    public static URI cryptoUrl() {
        return crypto.url();
    }

    /** crypto-service's management URL (its metrics count the calls it served). */
    public static URI cryptoManagementUrl() {
        return crypto.managementUrl();
    }

    @Override
    public Map<String, String> start() {
        Infrastructure.ensureReady();
        String gateway = GatewayTokens.startKeyEndpoint();
        Map<String, String> cryptoConfig = new LinkedHashMap<>();
        cryptoConfig.put("spalce.internal-token.gateway-url", gateway);
        cryptoConfig.put("spalce.db.schema", CRYPTO_SCHEMA);
        cryptoConfig.put("spalce.db.app-user", CRYPTO_USER);
        cryptoConfig.put("spalce.crypto.local.keystore-path", "target/crypto-service/keystore-" + RUN + ".p12");
        try {
            crypto = ServiceProcess.prepare("crypto-service", Path.of("target", "service-logs"))
                    .launch(cryptoConfig)
                    .awaitReady();
        } catch (Exception e) {
            throw new IllegalStateException("could not start crypto-service for the tests", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("spalce.internal-token.gateway-url", gateway);
        config.put("spalce.services.crypto-url", crypto.url().toString());
        config.put("spalce.db.schema", SCHEMA);
        config.put("spalce.db.app-user", APP_USER);
        config.put("spalce.evidence.upload.max-bytes", Long.toString(MAX_UPLOAD_BYTES));
        config.put("spalce.evidence.upload.part-bytes", Integer.toString(5 * 1024 * 1024));
        return config;
    }

    @Override
    public void stop() {
        try {
            if (crypto != null) {
                crypto.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        GatewayTokens.stopKeyEndpoint();
        for (String statement : new String[] {
            "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
            "DROP OWNED BY " + APP_USER,
            "DROP ROLE IF EXISTS " + APP_USER,
            "DROP SCHEMA IF EXISTS " + CRYPTO_SCHEMA + " CASCADE",
            "DROP OWNED BY " + CRYPTO_USER,
            "DROP ROLE IF EXISTS " + CRYPTO_USER
        }) {
            try (Connection admin = Infrastructure.adminConnection();
                    Statement sql = admin.createStatement()) {
                sql.execute(statement);
            } catch (SQLException e) {
                System.err.println("[evidence-test] could not clean up (" + statement + "): " + e.getMessage());
            }
        }
    }
}

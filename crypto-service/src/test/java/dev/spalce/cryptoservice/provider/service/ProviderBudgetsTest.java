package dev.spalce.cryptoservice.provider.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.testsupport.RewrapBudgetTable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * crypto-service's per-instance request budget for a remote KMS covers live traffic and rewraps alike, so it must
 * leave room beside a rewrap running at rewrap-worker's default for that KMS: twice it, as the README says. The
 * rewrap defaults are read from the README's table, which rewrap-worker's PacerTest holds to that service's settings.
 */
class ProviderBudgetsTest {

    private static final List<String> REMOTE_PROVIDERS = List.of("aws-kms", "gcp-kms", "azure-kv", "vault-transit");

    @Test
    void instanceBudget_ofEveryRemoteKms_isTwiceTheRewrapDefault() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = ProviderBudgetsTest.class.getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        Map<String, Double> rewrapDefaults = RewrapBudgetTable.fromReadme();
        assertThat(rewrapDefaults).containsKeys(REMOTE_PROVIDERS.toArray(String[]::new));

        for (String provider : REMOTE_PROVIDERS) {
            String key = "spalce.crypto." + provider + ".calls.requests-per-second";
            assertThat(settings.getProperty(key)).as(key).isNotNull();
            assertThat(Double.parseDouble(settings.getProperty(key)))
                    .as(provider + ": twice rewrap-worker's default of " + rewrapDefaults.get(provider))
                    .isEqualTo(2 * rewrapDefaults.get(provider));
        }
    }
}

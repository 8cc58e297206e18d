package dev.spalce.gateway.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.audit.AuditEventPage;
import dev.spalce.contracts.audit.SigningKeysView;
import dev.spalce.contracts.status.ServiceStatus;
import dev.spalce.testsupport.GoldenSamples;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The internal services' answers the gateway reads, from the golden bodies (libs/contracts), with the gateway's own
 * JSON configuration: each reads into its contract type, and the two the gateway serves on (a user's sign-ins, the
 * public signing keys) are written out exactly as the service wrote them, so that the public body does not change
 * by passing through the gateway.
 */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
class DownstreamBodiesTest {

    @Inject
    ObjectMapper json;

    @Test
    void goldenAuditPage_readsTyped_andIsServedOnUnchanged() throws Exception {
        String golden = GoldenSamples.load("audit-events/page.response");

        AuditEventPage page = json.readValue(golden, AuditEventPage.class);

        assertThat(page.items()).hasSize(2);
        assertThat(page.items().get(0).occurredAt()).isEqualTo(Instant.parse("2026-11-24T09:15:02.123Z"));
        assertThat(page.items().get(1).requestId()).isNull();
        assertThat(json.readTree(json.writeValueAsString(page))).isEqualTo(json.readTree(golden));
    }

    @Test
    void goldenSigningKeys_readTyped_andAreServedOnUnchanged() throws Exception {
        String golden = GoldenSamples.load("audit-signing-keys/keys.response");

        SigningKeysView keys = json.readValue(golden, SigningKeysView.class);

        assertThat(keys.keys()).extracting(SigningKeysView.Key::current).containsExactly(true, false);
        assertThat(json.readTree(json.writeValueAsString(keys))).isEqualTo(json.readTree(golden));
    }

    @Test
    void goldenServiceStatus_readsTyped() throws Exception {
        ServiceStatus status = json.readValue(GoldenSamples.load("status/status.response"), ServiceStatus.class);

        assertThat(status).isEqualTo(new ServiceStatus("evidence-service", "UP"));
    }
}

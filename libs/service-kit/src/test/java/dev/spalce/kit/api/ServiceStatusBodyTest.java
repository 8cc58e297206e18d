package dev.spalce.kit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spalce.contracts.status.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** What {@link InternalStatusResource} writes for a ready service is the golden body the gateway reads. */
class ServiceStatusBodyTest {

    @Test
    void readyService_writesTheGoldenStatus() throws Exception {
        ObjectMapper json = new ObjectMapper();

        String written =
                json.writeValueAsString(new ServiceStatus("evidence-service", HealthCheckResponse.Status.UP.name()));

        // The golden sample of libs/contracts (test-support, which reads the others, builds on this library).
        assertThat(json.readTree(written))
                .isEqualTo(json.readTree(ServiceStatusBodyTest.class.getResource(
                        "/dev/spalce/contracts/golden/status/status.response.json")));
    }
}

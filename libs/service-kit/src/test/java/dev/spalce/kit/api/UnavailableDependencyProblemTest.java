package dev.spalce.kit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * A failure that says a dependency is down answers 503 with {@code Retry-After}, not 500: the fault suite
 * (e2e-tests, profile faults) saw crypto-service answer 500 when PostgreSQL refused connections, and rewrap-worker,
 * which retries a 503 but gives up on a 500, failed its job.
 */
class UnavailableDependencyProblemTest {

    private final ProblemMappers mappers = new ProblemMappers(new RequestMetadata(), new ObjectMapper());

    @Test
    void databaseOutOfConnections_wrappedByTheOrm_is503WithRetryAfter() {
        PgException tooMany = new PgException(
                "remaining connection slots are reserved for non-replication superuser connections",
                "FATAL",
                "53300",
                null);

        Response response = mappers.unexpected(new IllegalStateException("session failed", tooMany), null);

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat((String) response.getEntity())
                .contains("https://spalce.dev/problems/dependency-unavailable")
                .contains("the database is not available right now")
                .doesNotContain("connection slots");
    }

    @Test
    void databaseShuttingDownOrStarting_is503() {
        for (String state : new String[] {"57P01", "57P03", "08006"}) {
            PgException down = new PgException("terminating connection", "FATAL", state, null);

            assertThat(mappers.unexpected(down, null).getStatus()).as(state).isEqualTo(503);
        }
    }

    @Test
    void connectionRefused_is503() {
        Response response = mappers.unexpected(new RuntimeException(new ConnectException("Connection refused")), null);

        assertThat(response.getStatus()).isEqualTo(503);
    }

    /** The gateway's routes answer outside the mappers, through DependencyFailure directly. */
    @Test
    void dependencyFailure_namesTheDatabase_orNothingForABug() {
        PgException restarting = new PgException("the database system is starting up", "FATAL", "57P03", null);

        assertThat(DependencyFailure.asUnavailable(restarting)).hasValueSatisfying(problem -> {
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.getMessage()).contains("the database");
            assertThat(problem.retryAfter()).isPresent();
        });
        assertThat(DependencyFailure.asUnavailable(new IllegalArgumentException("a bug")))
                .isEmpty();
    }

    @Test
    void constraintViolationOrABug_staysA500() {
        PgException duplicate = new PgException("duplicate key value", "ERROR", "23505", null);

        assertThat(mappers.unexpected(duplicate, null).getStatus()).isEqualTo(500);
        assertThat(mappers.unexpected(new NullPointerException(), null).getStatus())
                .isEqualTo(500);
    }
}

package dev.spalce.kit.api;

import java.util.Optional;

/**
 * Whether an unexpected failure says a dependency is down rather than that this service has a bug: then the client
 * is told 503 with {@code Retry-After} ({@link ProblemException#unavailable}), not 500. Used by the exception mappers
 * of every service and by the gateway's routes, which answer outside them.
 */
public final class DependencyFailure {

    private DependencyFailure() {}

    /**
     * A 503 problem when {@code failure} (or a cause) is PostgreSQL refusing or dropping connections (SQLSTATE class
     * 08 connection exception, 53 insufficient resources such as too many connections, 57P01-57P03 shut down or
     * starting up), a closed database connection, or a connection refused; empty otherwise.
     */
    public static Optional<ProblemException> asUnavailable(Throwable failure) {
        String dependency = unavailableDependency(failure);
        return dependency == null ? Optional.empty() : Optional.of(ProblemException.unavailable(dependency, failure));
    }

    private static String unavailableDependency(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.vertx.pgclient.PgException pg) {
                String state = pg.getSqlState() == null ? "" : pg.getSqlState();
                return state.startsWith("08") || state.startsWith("53") || state.matches("57P0[123]")
                        ? "the database"
                        : null;
            }
            if (cause instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return "the database";
            }
            if (cause instanceof java.net.ConnectException) {
                return "a service this one depends on";
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}

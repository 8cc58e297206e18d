package dev.spalce.kit.persistence;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Optional;
import org.hibernate.JDBCException;

/** PostgreSQL's SQLSTATE of a failure, wherever in its cause chain the driver or Hibernate put it. */
public final class SqlStates {

    /** unique_violation: an insert lost a race to a unique constraint. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {}

    public static Optional<String> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String sqlState = cause instanceof PgException pg
                    ? pg.getSqlState()
                    : cause instanceof JDBCException jdbc
                            ? jdbc.getSQLState()
                            : cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (sqlState != null) {
                return Optional.of(sqlState);
            }
        }
        return Optional.empty();
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return of(failure).filter(UNIQUE_VIOLATION::equals).isPresent();
    }
}

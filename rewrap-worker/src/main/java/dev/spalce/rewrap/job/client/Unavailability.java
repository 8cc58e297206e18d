package dev.spalce.rewrap.job.client;

import dev.spalce.kit.api.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;

/** Which failures of an internal call mean "not now": those the job runner backs off from instead of failing. */
final class Unavailability {

    private Unavailability() {}

    /** {@code call}, with a connection failure, 503 or 429 turned into a 503 {@link ProblemException}. */
    static <T> Uni<T> mapped(String service, Uni<T> call) {
        return call.onFailure(Unavailability::isUnavailable)
                .transform(failure -> ProblemException.unavailable(service, failure));
    }

    private static boolean isUnavailable(Throwable failure) {
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return status == 503 || status == 429;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof io.vertx.core.VertxException) {
                return true;
            }
        }
        return false;
    }
}

package dev.spalce.kit.api;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure the client should see as an RFC 9457 problem+json response. Its message is the {@code detail} and
 * is shown to the client: it must never contain key material, a secret, a stack trace or another tenant's
 * data.
 */
public class ProblemException extends RuntimeException {

    /** Problem type URIs are stable identifiers that clients may switch on; they are documented in docs/errors.md. */
    public static final String TYPE_BASE = "https://spalce.dev/problems/";

    private final int status;
    private final URI type;
    private final String title;
    private final Duration retryAfter;

    public ProblemException(int status, String typeSlug, String title, String detail) {
        this(status, typeSlug, title, detail, null, null);
    }

    public ProblemException(
            int status, String typeSlug, String title, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause, false, cause != null);
        this.status = status;
        this.type = URI.create(TYPE_BASE + Objects.requireNonNull(typeSlug, "typeSlug"));
        this.title = Objects.requireNonNull(title, "title");
        this.retryAfter = retryAfter;
    }

    /** The object does not exist, or exists in another workspace: the two are deliberately indistinguishable. */
    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", what + " '" + id + "' does not exist");
    }

    /** The request is well-formed HTTP but its content breaks a rule. */
    public static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail);
    }

    /** A service this request depends on did not answer; the client may retry. */
    public static ProblemException unavailable(String dependency, Throwable cause) {
        return new ProblemException(
                503,
                "dependency-unavailable",
                "Service unavailable",
                dependency + " is not available right now; retry later",
                Duration.ofSeconds(5),
                cause);
    }

    public int status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

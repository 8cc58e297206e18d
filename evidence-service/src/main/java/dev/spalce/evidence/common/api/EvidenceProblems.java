package dev.spalce.evidence.common.api;

import dev.spalce.kit.api.ProblemException;
import java.time.Duration;

/**
 * The typed errors of evidence-service (problem types under {@code https://spalce.dev/problems/}). A detail
 * never holds a secret, plaintext PII, key material or another workspace's data.
 */
public final class EvidenceProblems {

    private EvidenceProblems() {}

    /** An upload with no content. */
    public static ProblemException emptyUpload() {
        return new ProblemException(400, "empty-upload", "Empty upload", "the uploaded file has no content");
    }

    /** An upload larger than the configured maximum. */
    public static ProblemException uploadTooLarge(long maxBytes) {
        return new ProblemException(
                413,
                "upload-too-large",
                "Upload too large",
                "an evidence file may hold at most " + maxBytes + " bytes");
    }

    /** A media type the service does not accept. */
    public static ProblemException unsupportedContent(String mediaType) {
        return new ProblemException(
                415,
                "unsupported-content",
                "Unsupported content",
                "evidence of type '" + mediaType + "' is not accepted");
    }

    /**
     * A stored ciphertext that fails authentication or no longer matches its recorded digest. 422 like
     * {@link #badWrappedKey()}: both say that this record's stored bytes were altered, retrying does not help, and
     * the rest of the workspace is served. It is not an outage (503) nor an unexplained fault (500); the operator
     * learns of it from the {@code record.unreadable} audit event and the {@code spalce.records.unreadable} metric.
     */
    public static ProblemException integrityFailure(String what) {
        return new ProblemException(
                422,
                "integrity-failure",
                "Integrity failure",
                what + " failed authentication: it was altered or corrupted in storage; nothing of it is served");
    }

    /** A stored record whose object is gone from the object store: not a passing outage, so not a 503. */
    public static ProblemException objectMissing(String what) {
        return new ProblemException(
                422,
                "integrity-failure",
                "Integrity failure",
                what + " is missing from storage; nothing of it can be served");
    }

    /** The object store did not answer or refused the request. */
    public static ProblemException objectStoreUnavailable(Throwable cause) {
        return new ProblemException(
                503,
                "object-store-unavailable",
                "Object store unavailable",
                "the object store is not available right now; nothing was stored; retry later",
                Duration.ofSeconds(5),
                cause);
    }

    /** crypto-service did not answer. */
    public static ProblemException cryptoUnavailable(Throwable cause) {
        return new ProblemException(
                503,
                "crypto-unavailable",
                "Crypto service unavailable",
                "data keys are not available right now; nothing was stored; retry later",
                Duration.ofSeconds(5),
                cause);
    }

    /** crypto-service refused to issue or open a data key (e.g. no master key registered, key revoked). */
    public static ProblemException keyRefused(int status, String reason) {
        return new ProblemException(
                status == 404 || status == 409 ? 409 : 503,
                "data-key-refused",
                "Data key refused",
                "the workspace's master key did not serve this request: " + reason,
                status >= 500 ? Duration.ofSeconds(5) : null,
                null);
    }

    /**
     * A record's stored wrapped data key does not authenticate under its key version and record: it was altered,
     * copied from another record, or wrapped under another key. Retrying does not help; the record is unreadable
     * until its {@code wrapped_dek} is restored.
     */
    public static ProblemException badWrappedKey() {
        return new ProblemException(
                422,
                "bad-wrapped-key",
                "Wrapped key does not authenticate",
                "the record's stored data key does not authenticate under its key version and record: it was altered, "
                        + "copied from another record, or wrapped under another key");
    }

    /** A signed URL that is expired, altered or for something else. */
    public static ProblemException badSignedUrl() {
        return new ProblemException(
                403,
                "invalid-signed-url",
                "Invalid signed URL",
                "the download URL is expired, altered or not for this file");
    }
}

package dev.spalce.cryptoservice.common.api;

import dev.spalce.contracts.datakey.DataKeyApi.ItemError;
import dev.spalce.crypto.BadCiphertextException;
import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.kit.api.ProblemException;
import io.smallrye.mutiny.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * crypto-service's errors, each a distinct problem+json {@code type} that a caller can switch on. Details name key
 * ids and workspaces, never key material or a provider's own error text.
 *
 * <table>
 *   <tr><th>type</th><th>status</th><th>meaning</th></tr>
 *   <tr><td>workspace-key-not-registered</td><td>404</td><td>the workspace has no CMK</td></tr>
 *   <tr><td>workspace-key-already-registered</td><td>409</td><td>the workspace already has a CMK, or the key serves another</td></tr>
 *   <tr><td>unknown-key-version</td><td>404</td><td>the kms_key_id is no version of this workspace's CMK, or the provider does not know it</td></tr>
 *   <tr><td>key-version-disabled</td><td>409</td><td>the version is retired here, or disabled in the provider</td></tr>
 *   <tr><td>key-access-denied</td><td>409</td><td>the customer revoked Spalce's access to the key in their KMS</td></tr>
 *   <tr><td>bad-wrapped-key</td><td>422</td><td>the wrapped DEK does not authenticate under that version and record</td></tr>
 *   <tr><td>unknown-key-reference</td><td>422</td><td>registration names a key the provider does not have</td></tr>
 *   <tr><td>unsupported-key-provider</td><td>400</td><td>this deployment does not serve that provider, or it cannot create keys</td></tr>
 *   <tr><td>invalid-version-state-change</td><td>409</td><td>e.g. retiring the current version</td></tr>
 *   <tr><td>key-change-in-progress</td><td>409</td><td>a change of key is refused while the previous change still has data keys to move</td></tr>
 *   <tr><td>not-the-current-key</td><td>409</td><td>a detachment names a target that is not a version of the current key</td></tr>
 *   <tr><td>caller-not-allowed</td><td>403</td><td>the caller (a service identity, or a user's role through the gateway) may not use this operation</td></tr>
 *   <tr><td>dependency-unavailable</td><td>503</td><td>the key provider did not answer; retry after Retry-After</td></tr>
 *   <tr><td>invalid-request</td><td>400</td><td>the request breaks a rule</td></tr>
 * </table>
 */
public final class CryptoProblems {

    private static final Logger LOG = Logger.getLogger(CryptoProblems.class);

    private CryptoProblems() {}

    public static ProblemException keyNotRegistered(String workspace) {
        return new ProblemException(
                404,
                "workspace-key-not-registered",
                "No customer master key",
                "workspace '" + workspace + "' has no customer master key registered");
    }

    public static ProblemException keyAlreadyRegistered(String workspace) {
        return new ProblemException(
                409,
                "workspace-key-already-registered",
                "Customer master key already registered",
                "workspace '" + workspace
                        + "' already has a customer master key, or that key serves another workspace");
    }

    public static ProblemException unknownKeyVersion(String kmsKeyId) {
        return new ProblemException(
                404,
                "unknown-key-version",
                "Unknown key version",
                "'" + kmsKeyId + "' is not a version of this workspace's customer master key");
    }

    public static ProblemException keyVersionDisabled(String kmsKeyId) {
        return new ProblemException(
                409,
                "key-version-disabled",
                "Key version disabled",
                "key version '" + kmsKeyId + "' is disabled and unwraps nothing");
    }

    public static ProblemException keyAccessDenied(KmsKeyId kmsKeyId) {
        return new ProblemException(
                409,
                "key-access-denied",
                "Key access denied",
                "the key provider refuses Spalce access to '" + kmsKeyId + "'; the key's owner must grant it again");
    }

    public static ProblemException badWrappedKey() {
        return new ProblemException(
                422,
                "bad-wrapped-key",
                "Wrapped key does not authenticate",
                "the wrapped DEK does not authenticate under this key version and record: it was modified, belongs to "
                        + "another record or workspace, or was wrapped under another key");
    }

    public static ProblemException unknownKeyReference(KmsKeyId key) {
        return new ProblemException(
                422,
                "unknown-key-reference",
                "Unknown key reference",
                "provider '" + key.provider() + "' has no key '" + key.reference() + "'");
    }

    public static ProblemException unsupportedProvider(String provider, String why) {
        return new ProblemException(
                400, "unsupported-key-provider", "Unsupported key provider", "key provider '" + provider + "' " + why);
    }

    public static ProblemException keyChangeInProgress(String workspace, String provider, String keyReference) {
        return new ProblemException(
                409,
                "key-change-in-progress",
                "Key change in progress",
                "workspace '" + workspace + "' still has data keys wrapped under its previous key (" + provider + " '"
                        + keyReference + "'); change the key again once the rewrap job has moved them all");
    }

    public static ProblemException notTheCurrentKey(String given, KmsKeyId current) {
        return new ProblemException(
                409,
                "not-the-current-key",
                "Not the current key",
                "'" + given + "' is not a version of the workspace's current key (now " + current + ")");
    }

    public static ProblemException invalidStateChange(String detail) {
        return new ProblemException(409, "invalid-version-state-change", "Invalid key version state change", detail);
    }

    /** @param who e.g. {@code service identity spalce-rewrap-worker}, {@code user alice} */
    /** The workspace was deleted and its keys shredded: it gets no key again. */
    public static ProblemException workspaceDeleted() {
        return new ProblemException(
                409, "workspace-deleted", "Workspace deleted", "this workspace was deleted and its keys shredded");
    }

    public static ProblemException callerNotAllowed(String who, String operation) {
        return new ProblemException(403, "caller-not-allowed", "Caller not allowed", who + " may not " + operation);
    }

    public static ProblemException providerUnavailable(String provider, Throwable cause) {
        return ProblemException.unavailable("key provider '" + provider + "'", cause);
    }

    /**
     * Translates a failure of a key provider call into its problem. A failure that is none of the provider
     * contract's types is an internal error: it is logged here, and its text is not shown to the caller.
     */
    public static ProblemException fromProviderFailure(String provider, Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (failure instanceof KeyUnavailableException unavailable) {
            return switch (unavailable.reason()) {
                case UNKNOWN_KEY -> unknownKeyVersion(unavailable.keyId().toString());
                case KEY_DISABLED -> keyVersionDisabled(unavailable.keyId().toString());
                case ACCESS_DENIED -> keyAccessDenied(unavailable.keyId());
                case PROVIDER_UNAVAILABLE -> providerUnavailable(provider, failure);
            };
        }
        if (failure instanceof BadCiphertextException) {
            return badWrappedKey();
        }
        if (failure instanceof TimeoutException || failure instanceof RejectedExecutionException) {
            return providerUnavailable(provider, failure);
        }
        LOG.errorf(failure, "key provider %s failed unexpectedly", provider);
        return new ProblemException(
                500,
                "internal-error",
                "Internal error",
                "the key provider call failed; quote the request id to support",
                null,
                null);
    }

    /** The problem as a batch item reports it: type, title, status and detail, nothing request-wide. */
    public static ItemError asItemError(ProblemException problem) {
        return new ItemError(problem.type().toString(), problem.title(), problem.status(), problem.getMessage());
    }
}

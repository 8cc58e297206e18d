package dev.spalce.evidence.datakey.service;

import dev.spalce.contracts.datakey.DataKeyApi.BatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.ItemError;
import dev.spalce.contracts.datakey.DataKeyApi.MintBatchRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintRequest;
import dev.spalce.contracts.datakey.DataKeyApi.MintResponse;
import dev.spalce.contracts.datakey.DataKeyApi.UnwrapResult;
import dev.spalce.contracts.datakey.WrappedKeyItem;
import dev.spalce.crypto.DataKey;
import dev.spalce.crypto.SecretBytes;
import dev.spalce.evidence.common.api.EvidenceProblems;
import dev.spalce.evidence.datakey.client.CryptoServiceClient;
import dev.spalce.evidence.datakey.model.WrappedKeyRow;
import dev.spalce.kit.api.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Data keys from crypto-service: one fresh DEK per record, and every DEK of a page opened with one batched
 * unwrap call. Plaintext key bytes received are turned into {@link DataKey}s and their arrays zeroed at once;
 * callers close the keys (try-with-resources) as soon as the record is encrypted or decrypted.
 */
@ApplicationScoped
public class DataKeys {

    private static final int MAX_BATCH = 500;

    private final CryptoServiceClient crypto;

    public DataKeys(@RestClient CryptoServiceClient crypto) {
        this.crypto = crypto;
    }

    /** A fresh DEK for record {@code recordType}/{@code recordId} of {@code workspace}. */
    public Uni<MintedKey> mint(String workspace, String recordType, String recordId) {
        return crypto.mint(workspace, new MintRequest(recordType, recordId))
                .onFailure()
                .transform(DataKeys::asProblem)
                .map(DataKeys::minted);
    }

    /**
     * A fresh DEK for each of {@code recordIds} (1 to 500 records of one type), in order, with one call to
     * crypto-service. If the answer is short or unreadable, every key received is erased and the call fails.
     */
    public Uni<List<MintedKey>> mintAll(String workspace, String recordType, List<String> recordIds) {
        if (recordIds.isEmpty() || recordIds.size() > MAX_BATCH) {
            throw new IllegalArgumentException("1 to " + MAX_BATCH + " records per mint");
        }
        return crypto.mintBatch(workspace, new MintBatchRequest(recordType, recordIds))
                .onFailure()
                .transform(DataKeys::asProblem)
                .map(response -> {
                    List<MintedKey> keys = new ArrayList<>(recordIds.size());
                    try {
                        if (response.items() == null || response.items().size() != recordIds.size()) {
                            throw EvidenceProblems.cryptoUnavailable(new IllegalStateException(
                                    "crypto-service answered a different number of data keys than asked for"));
                        }
                        for (MintResponse item : response.items()) {
                            keys.add(minted(item));
                        }
                    } catch (RuntimeException e) {
                        keys.forEach(MintedKey::close);
                        throw e;
                    } finally {
                        if (response.items() != null) {
                            response.items().forEach(MintResponse::close);
                        }
                    }
                    return keys;
                });
    }

    /**
     * The DEKs of {@code records}, in order, with one call to crypto-service per 500 records. If any record's key
     * does not open, every key already opened is closed and the whole call fails with that record's problem: for
     * callers that need every record (one record read or changed, one file downloaded).
     */
    public Uni<List<DataKey>> unwrap(String workspace, List<WrappedKeyRow> records) {
        return unwrapEach(workspace, records).map(opened -> {
            ProblemException refused = opened.stream()
                    .map(OpenedKey::problem)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            if (refused != null) {
                opened.forEach(OpenedKey::close);
                throw refused;
            }
            return opened.stream().map(OpenedKey::key).toList();
        });
    }

    /**
     * The DEK of each of {@code records}, in order, with one call to crypto-service: a record whose key does not
     * open carries its own problem ({@code bad-wrapped-key}, {@code data-key-refused}) and the others open, so that
     * one damaged record does not hide a page. Only a failure no record can help (crypto-service or its key
     * provider unavailable) fails the whole call.
     */
    public Uni<List<OpenedKey>> unwrapEach(String workspace, List<WrappedKeyRow> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (records.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " records per unwrap");
        }
        return crypto.unwrap(workspace, unwrapRequest(records))
                .onFailure()
                .transform(DataKeys::asProblem)
                .map(response -> {
                    List<OpenedKey> keys = new ArrayList<>(records.size());
                    try {
                        if (response.items() == null || response.items().size() != records.size()) {
                            throw EvidenceProblems.cryptoUnavailable(new IllegalStateException(
                                    "crypto-service answered a different number of data keys than asked for"));
                        }
                        for (UnwrapResult item : response.items()) {
                            keys.add(
                                    item.error() != null
                                            ? OpenedKey.refused(itemProblem(item.error()))
                                            : OpenedKey.of(toKey(item.plaintextDek())));
                        }
                    } catch (RuntimeException e) {
                        keys.forEach(OpenedKey::close);
                        throw e;
                    } finally {
                        if (response.items() != null) {
                            response.items().forEach(UnwrapResult::close);
                        }
                    }
                    return keys;
                });
    }

    /** The unwrap request for {@code records}: each one's wrapped DEK and the record it is bound to. */
    static BatchRequest unwrapRequest(List<WrappedKeyRow> records) {
        return new BatchRequest(records.stream()
                .map(record -> new WrappedKeyItem(
                        record.recordType(),
                        record.recordId().toString(),
                        record.kmsKeyId(),
                        Base64.getEncoder().encodeToString(record.wrappedDek())))
                .toList());
    }

    /**
     * What one record's unwrap error means to the record's reader. A wrapped DEK crypto-service cannot
     * authenticate, or cannot even read (a stored value that breaks the request's rules), is the record's own
     * damage: 422, never retried. A version crypto-service refuses (retired, unknown, access revoked) is 409.
     * crypto-service fails a whole batch when its provider is down, so anything else is unexpected: 503.
     */
    private static ProblemException itemProblem(ItemError error) {
        return switch (error.status()) {
            case 400, 422 -> EvidenceProblems.badWrappedKey();
            case 404, 409 -> EvidenceProblems.keyRefused(error.status(), error.title());
            default ->
                EvidenceProblems.cryptoUnavailable(
                        new IllegalStateException("crypto-service answered an item with status " + error.status()));
        };
    }

    static MintedKey minted(MintResponse response) {
        return new MintedKey(
                toKey(response.plaintextDek()), Base64.getDecoder().decode(response.wrappedDek()), response.kmsKeyId());
    }

    private static DataKey toKey(byte[] plaintext) {
        try (SecretBytes secret = SecretBytes.copyOf(plaintext)) {
            return DataKey.fromPlaintext(secret);
        } finally {
            zero(plaintext);
        }
    }

    private static void zero(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Throwable asProblem(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status == 401 || status == 403 || status >= 500) {
                return EvidenceProblems.cryptoUnavailable(failure);
            }
            return EvidenceProblems.keyRefused(
                    status,
                    status == 404 ? "no master key is registered for this workspace" : "refused with status " + status);
        }
        // Connection refused, timeouts, unreadable answers (ProcessingException and the like).
        return EvidenceProblems.cryptoUnavailable(failure);
    }
}

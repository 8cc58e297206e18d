package dev.spalce.keyproviders.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.crypto.KeyUnavailableException;
import dev.spalce.crypto.KeyUnavailableException.Reason;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.keyproviders.KeyProvider;
import dev.spalce.keyproviders.RequestBudget;
import dev.spalce.keyproviders.remote.KmsCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every provider that calls a remote KMS must do on top of {@link KeyProviderContract}, run against that
 * KMS's wire-protocol stand-in through the provider's real client: throttling is retried with exponential backoff
 * and then reported as a transient outage; so is a server that is down; an unknown key is named and not retried;
 * and the request budget is spent before a request is sent.
 *
 * <p>A provider's test class extends this with its stand-in and its client, and adds only what is its own: the
 * wire format, the rules for its key references, its sign-in, rotation and rewrap as that KMS does them.
 *
 * @param <S> the stand-in
 * @param <P> the provider
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RemoteKeyProviderContract<S extends LoopbackJsonServer, P extends KeyProvider>
        extends KeyProviderContract<P> {

    /** Four attempts, backoff from 100 ms to 1 s; with the jitter fixed at 0.5 the waits are exact. */
    protected static final KmsCalls.Policy POLICY =
            new KmsCalls.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);

    protected final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** The backoff waits the provider asked for: recorded, not slept, so that the tests check them for free. */
    protected final List<Long> sleeps = new CopyOnWriteArrayList<>();
    /** One stand-in and one provider for the class: closing a Netty client takes its event loop's quiet period. */
    protected S server;

    protected P provider;

    /** The provider's id, as key references and metrics name it. */
    protected abstract String providerId();

    /** Starts a new stand-in. */
    protected abstract S startServer();

    /** A provider calling {@code server}, its calls paced by {@code budget} through {@link #calls}. */
    protected abstract P newProvider(S server, RequestBudget budget);

    /** A new key on {@code server}, at its first version. */
    protected abstract KmsKeyId createKey(S server);

    @Override
    protected final P provider() {
        return provider;
    }

    @Override
    protected final KmsKeyId newKey() {
        return createKey(server);
    }

    /** How many wrap requests the stand-in has received since its requests were last cleared. */
    protected abstract int wrapRequests();

    /** The retry policy and metrics of this suite, with {@code budget}. */
    protected final KmsCalls calls(RequestBudget budget) {
        return new KmsCalls(providerId(), POLICY, budget, sleeps::add, () -> 0.5, metrics);
    }

    @BeforeAll
    void startServerAndProvider() {
        server = startServer();
        provider = newProvider(server, RequestBudget.of(1_000, 1_000));
    }

    @AfterAll
    void stopServerAndProvider() {
        provider.close();
        server.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        server.clearRequests();
        server.throttleNext(0);
        metrics.clear();
        sleeps.clear();
    }

    @Test
    void throttling_isRetriedWithExponentialBackoff_thenSucceeds() {
        KmsKeyId key = newKey();
        wrap(key); // some providers look the key up on first use: the throttled requests below are all wraps
        forgetEarlierTests();
        server.throttleNext(2);

        wrap(key);

        assertThat(wrapRequests()).isEqualTo(3);
        // Equal jitter at 0.5: 75 % of 100 ms, then of 200 ms.
        assertThat(sleeps)
                .containsExactly(
                        Duration.ofMillis(75).toNanos(), Duration.ofMillis(150).toNanos());
        assertThat(metrics.counter(
                                "spalce.kms.errors", "provider", providerId(), "operation", "wrap", "kind", "throttled")
                        .count())
                .isEqualTo(2);
        assertThat(metrics.counter("spalce.kms.retries", "provider", providerId(), "operation", "wrap")
                        .count())
                .isEqualTo(2);
        assertThat(metrics.timer("spalce.kms.requests", "provider", providerId(), "operation", "wrap", "outcome", "ok")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void throttlingBeyondTheAttempts_isTransientlyUnavailable() {
        KmsKeyId key = newKey();
        wrap(key);
        forgetEarlierTests();
        server.throttleNext(100);

        Throwable failure = catchThrowable(() -> wrap(key));

        assertThat(failure)
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(wrapRequests()).isEqualTo(POLICY.maxAttempts());
        assertThat(sleeps).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void serverDown_isTransientlyUnavailable_afterRetries() {
        S down = startServer();
        KmsKeyId key = createKey(down);
        down.close();

        Throwable failure;
        try (P toDownServer = newProvider(down, RequestBudget.of(1_000, 1_000))) {
            failure = catchThrowable(() -> toDownServer.describe(key.reference()));
        }

        assertThat(failure)
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
        assertThat(metrics.counter(
                                "spalce.kms.errors",
                                "provider",
                                providerId(),
                                "operation",
                                "describe",
                                "kind",
                                "unreachable")
                        .count())
                .isEqualTo(POLICY.maxAttempts());
        assertThat(sleeps).hasSize(POLICY.maxAttempts() - 1);
    }

    @Test
    void unknownKey_isUnknownKey_namingTheKey_withoutRetry() {
        KmsKeyId missing = missingKey();

        assertThatThrownBy(() -> provider.describe(missing.reference()))
                .isInstanceOfSatisfying(
                        KeyUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining(missing.reference());
        catchThrowable(() -> wrap(missing));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void exhaustedRequestBudget_failsAsUnavailable_withoutSendingTheRequest() {
        KmsKeyId key = newKey();
        long[] now = {0};
        try (P budgeted = newProvider(server, new RequestBudget(2, 2, () -> now[0], nanos -> {}))) {
            // Spend the budget: the first wrap of a client may also look the key up.
            Throwable refused = null;
            for (int wraps = 0; wraps < 3 && refused == null; wraps++) {
                refused = catchThrowable(() -> KeyProviderChecks.wrap(budgeted, key));
            }
            server.clearRequests();

            assertThat(refused)
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
            assertThatThrownBy(() -> KeyProviderChecks.wrap(budgeted, key))
                    .isInstanceOfSatisfying(
                            KeyUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.PROVIDER_UNAVAILABLE));
            assertThat(wrapRequests()).isZero();

            now[0] += Duration.ofSeconds(1).toNanos();
            KeyProviderChecks.wrap(budgeted, key);
            assertThat(wrapRequests()).isEqualTo(1);
        }
    }
}

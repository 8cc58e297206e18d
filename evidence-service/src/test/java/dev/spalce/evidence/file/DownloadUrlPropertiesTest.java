package dev.spalce.evidence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.spalce.evidence.file.config.EvidenceConfig;
import dev.spalce.evidence.file.service.DownloadUrls;
import dev.spalce.kit.api.ProblemException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Signed download URLs over generated input (jqwik): a URL the service signed verifies, and every other query,
 * evidence id or workspace is refused as the typed 403 {@code invalid-signed-url}, never with another exception:
 * one change of one character anywhere in the query, any text at all, another file, another workspace, an
 * upper-case spelling of the id.
 */
class DownloadUrlPropertiesTest {

    private static final DownloadUrls URLS =
            new DownloadUrls(config(Base64.getEncoder().encodeToString(new byte[32])));
    private static final DownloadUrls OTHER_KEY =
            new DownloadUrls(config(Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes())));

    @Provide
    Arbitrary<UUID> ids() {
        return Arbitraries.longs().tuple2().map(pair -> new UUID(pair.get1(), pair.get2()));
    }

    @Property(tries = 300)
    void signedUrl_verifies(@ForAll("ids") UUID workspace, @ForAll("ids") UUID evidence) {
        String query = DownloadUrls.query(URLS.sign(workspace.toString(), evidence));

        URLS.verify(workspace.toString(), evidence.toString(), evidence, query);
    }

    @Property(tries = 1000)
    void signedUrl_withOneCharacterChanged_isRefused(
            @ForAll("ids") UUID workspace,
            @ForAll("ids") UUID evidence,
            @ForAll @IntRange(min = 0, max = 200) int at,
            @ForAll char replacement) {
        String query = DownloadUrls.query(URLS.sign(workspace.toString(), evidence));
        int position = at % query.length();
        String changed = query.substring(0, position) + replacement + query.substring(position + 1);
        if (changed.equals(query)) {
            return;
        }

        assertRefused(() -> URLS.verify(workspace.toString(), evidence.toString(), evidence, changed));
    }

    @Property(tries = 1000)
    void signedUrl_withACharacterInsertedOrRemoved_isRefused(
            @ForAll("ids") UUID workspace,
            @ForAll("ids") UUID evidence,
            @ForAll @IntRange(min = 0, max = 200) int at,
            @ForAll char inserted,
            @ForAll boolean insert) {
        String query = DownloadUrls.query(URLS.sign(workspace.toString(), evidence));
        int position = at % query.length();
        String changed = insert
                ? query.substring(0, position) + inserted + query.substring(position)
                : query.substring(0, position) + query.substring(position + 1);

        assertRefused(() -> URLS.verify(workspace.toString(), evidence.toString(), evidence, changed));
    }

    @Property(tries = 1000)
    void anyText_asTheQuery_isRefusedAsTheTypedProblem(
            @ForAll("ids") UUID workspace, @ForAll("ids") UUID evidence, @ForAll String query) {
        assertRefused(() -> URLS.verify(workspace.toString(), evidence.toString(), evidence, query));
    }

    @Property(tries = 300)
    void signedUrl_forAnotherFileOrWorkspaceOrKey_orInAnotherSpelling_isRefused(
            @ForAll("ids") UUID workspace, @ForAll("ids") UUID evidence, @ForAll("ids") UUID other) {
        String query = DownloadUrls.query(URLS.sign(workspace.toString(), evidence));

        if (!other.equals(evidence)) {
            assertRefused(() -> URLS.verify(workspace.toString(), other.toString(), other, query));
        }
        if (!other.equals(workspace)) {
            assertRefused(() -> URLS.verify(other.toString(), evidence.toString(), evidence, query));
        }
        assertRefused(() -> OTHER_KEY.verify(workspace.toString(), evidence.toString(), evidence, query));
        String upperCase = evidence.toString().toUpperCase(Locale.ROOT);
        if (!upperCase.equals(evidence.toString())) {
            assertRefused(() -> URLS.verify(workspace.toString(), upperCase, evidence, query));
        }
    }

    private static void assertRefused(Runnable verification) {
        Throwable refusal = catchThrowable(verification::run);

        assertThat(refusal).isInstanceOf(ProblemException.class);
        ProblemException problem = (ProblemException) refusal;
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.type().toString()).endsWith("/invalid-signed-url");
    }

    private static EvidenceConfig config(String signingKey) {
        EvidenceConfig.Download download = new EvidenceConfig.Download() {
            @Override
            public Duration urlLifetime() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Optional<String> signingKey() {
                return Optional.of(signingKey);
            }

            @Override
            public boolean allowEphemeralKey() {
                return false;
            }
        };
        return (EvidenceConfig) Proxy.newProxyInstance(
                EvidenceConfig.class.getClassLoader(), new Class<?>[] {EvidenceConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("download")) {
                        return download;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not used by DownloadUrls");
                });
    }
}

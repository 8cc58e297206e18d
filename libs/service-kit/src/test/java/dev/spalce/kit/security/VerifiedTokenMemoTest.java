package dev.spalce.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VerifiedTokenMemoTest {

    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final InstantSource clock = now::get;

    private VerifiedTokenMemo<String> memo(int maxEntries, Duration longestReuse) {
        return new VerifiedTokenMemo<>(maxEntries, longestReuse, clock);
    }

    @Test
    void find_ofARememberedToken_returnsItsVerification() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(300), "alice");

        assertThat(memo.find("Default", TOKEN)).contains("alice");
    }

    @Test
    void find_ofATokenDifferingInOneCharacter_findsNothing() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(300), "alice");
        String forged = TOKEN.substring(0, TOKEN.length() - 1) + "X";

        assertThat(memo.find("Default", forged)).isEmpty();
    }

    @Test
    void find_underAnotherTenant_findsNothing() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(300), "alice");

        assertThat(memo.find("gateway", TOKEN)).isEmpty();
    }

    @Test
    void find_atTheTokensExpiry_findsNothing() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(20), "alice");

        now.set(START.plusSeconds(19));
        assertThat(memo.find("Default", TOKEN)).contains("alice");
        now.set(START.plusSeconds(20));
        assertThat(memo.find("Default", TOKEN)).isEmpty();
    }

    @Test
    void find_afterTheLongestReuse_findsNothingThoughTheTokenLivesOn() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(3600), "alice");

        now.set(START.plusSeconds(59));
        assertThat(memo.find("Default", TOKEN)).contains("alice");
        now.set(START.plusSeconds(60));
        assertThat(memo.find("Default", TOKEN)).isEmpty();
    }

    @Test
    void remember_ofAnExpiredToken_keepsNothing() {
        VerifiedTokenMemo<String> memo = memo(10, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START, "alice");
        memo.remember("Default", TOKEN + "2", null, "bob");

        assertThat(memo.size()).isZero();
        assertThat(memo.find("Default", TOKEN)).isEmpty();
    }

    @Test
    void remember_whenFull_dropsExpiredEntriesFirstThenEverything() {
        VerifiedTokenMemo<String> memo = memo(2, Duration.ofSeconds(60));
        memo.remember("Default", "short", START.plusSeconds(5), "short-lived");
        memo.remember("Default", "long", START.plusSeconds(300), "long-lived");
        now.set(START.plusSeconds(10));

        memo.remember("Default", "third", START.plusSeconds(300), "third");

        assertThat(memo.size()).isEqualTo(2);
        assertThat(memo.find("Default", "long")).contains("long-lived");
        assertThat(memo.find("Default", "third")).contains("third");

        memo.remember("Default", "fourth", START.plusSeconds(300), "fourth");

        assertThat(memo.size()).isEqualTo(1);
        assertThat(memo.find("Default", "fourth")).contains("fourth");
        assertThat(memo.find("Default", "long")).isEmpty();
    }

    @Test
    void memo_withNoEntriesAllowed_remembersNothing() {
        VerifiedTokenMemo<String> memo = memo(0, Duration.ofSeconds(60));
        memo.remember("Default", TOKEN, START.plusSeconds(300), "alice");

        assertThat(memo.enabled()).isFalse();
        assertThat(memo.find("Default", TOKEN)).isEmpty();
    }

    @Test
    void memo_withANegativeBound_isRefused() {
        assertThatThrownBy(() -> memo(-1, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memo(1, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}

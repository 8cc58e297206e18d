package dev.spalce.cryptoservice.provider.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalProviderGuardTest {

    @Test
    void prodProfile_withLocalEnabledAndNotAllowed_refusesToStartNamingTheSwitches() {
        assertThatThrownBy(() -> LocalProviderGuard.check(List.of("prod"), true, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spalce.crypto.local.allow-in-prod=true")
                .hasMessageContaining("spalce.crypto.local.enabled=false");
    }

    @Test
    void prodAmongSeveralProfiles_stillRefuses() {
        assertThatThrownBy(() -> LocalProviderGuard.check(List.of("eu-west", "prod"), true, false))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void prodProfile_withLocalExplicitlyAllowed_starts() {
        assertThatCode(() -> LocalProviderGuard.check(List.of("prod"), true, true))
                .doesNotThrowAnyException();
    }

    @Test
    void prodProfile_withLocalDisabled_starts() {
        assertThatCode(() -> LocalProviderGuard.check(List.of("prod"), false, false))
                .doesNotThrowAnyException();
    }

    @Test
    void devAndTestProfiles_useLocalFreely() {
        assertThatCode(() -> LocalProviderGuard.check(List.of("dev"), true, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> LocalProviderGuard.check(List.of("test"), true, false))
                .doesNotThrowAnyException();
    }
}

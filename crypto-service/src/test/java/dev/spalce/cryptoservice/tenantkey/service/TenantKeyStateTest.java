package dev.spalce.cryptoservice.tenantkey.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.keys.KeyState;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.repository.TenantKeyRepository.KeyVersionRow;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantKeyStateTest {

    @Test
    void of_rowsOfAFormerAndTheCurrentKey_separatesThem_andOrdersVersionsByKeyAndVersion() {
        TenantKey former = key(KeyState.PREVIOUS, new UUID(0, 2));
        TenantKey current = key(KeyState.CURRENT, new UUID(0, 1));
        TenantKeyVersion formerV1 = version(former, 1);
        TenantKeyVersion currentV2 = version(current, 2);
        TenantKeyVersion currentV1 = version(current, 1);

        TenantKeyState state = TenantKeyState.of(List.of(
                        new KeyVersionRow(former, formerV1),
                        new KeyVersionRow(current, currentV2),
                        new KeyVersionRow(current, currentV1)))
                .orElseThrow();

        assertThat(state.key()).isSameAs(current);
        assertThat(state.formerKeys()).containsExactly(former);
        assertThat(state.versions()).containsExactly(currentV1, currentV2, formerV1);
        assertThat(state.versionsOf(current)).containsExactly(currentV1, currentV2);
    }

    @Test
    void of_aKeyWithoutVersions_isKeptWithNone() {
        TenantKey current = key(KeyState.CURRENT, UUID.randomUUID());

        TenantKeyState state =
                TenantKeyState.of(List.of(new KeyVersionRow(current, null))).orElseThrow();

        assertThat(state.key()).isSameAs(current);
        assertThat(state.versions()).isEmpty();
    }

    @Test
    void of_rowsWithoutACurrentKey_isEmpty() {
        TenantKey detached = key(KeyState.DETACHED, UUID.randomUUID());

        assertThat(TenantKeyState.of(List.of(new KeyVersionRow(detached, version(detached, 1)))))
                .isEmpty();
        assertThat(TenantKeyState.of(List.of())).isEmpty();
    }

    private static TenantKey key(KeyState state, UUID id) {
        TenantKey key = new TenantKey();
        key.keyId = id;
        key.workspaceId = "ws-state";
        key.state = state;
        return key;
    }

    private static TenantKeyVersion version(TenantKey key, int number) {
        TenantKeyVersion version = new TenantKeyVersion();
        version.keyId = key.keyId;
        version.workspaceId = key.workspaceId;
        version.version = number;
        version.kmsKeyId = "local:" + key.keyId + "#v" + number;
        return version;
    }
}

package dev.spalce.cryptoservice.tenantkey.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spalce.contracts.keys.KeyState;
import dev.spalce.contracts.keys.KeyVersionState;
import dev.spalce.contracts.keys.WorkspaceKeyApi.VersionStateRequest;
import dev.spalce.crypto.KmsKeyId;
import dev.spalce.cryptoservice.tenantkey.model.TenantKey;
import dev.spalce.cryptoservice.tenantkey.model.TenantKeyVersion;
import dev.spalce.cryptoservice.tenantkey.service.TenantKeyState;
import dev.spalce.testsupport.GoldenSamples;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * crypto-service's key API against the golden bodies that rewrap-worker reads and sends (libs/contracts): the view
 * of a fixed registry state is the sample, and the version-state request reads into the type the resource takes.
 * The mapper is configured as Quarkus configures the service's (Java time module, dates as RFC 3339 text).
 */
class WorkspaceKeyBodiesTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final String REFERENCE = "cmk-2d9a4e7c-81b0-4f5e-a3c6-0e9f1b7d5c24";

    @Test
    void viewOfAKeyWithTwoEnabledVersions_isTheGoldenBody() throws Exception {
        TenantKey key = new TenantKey();
        key.keyId = UUID.fromString("5b1e0c3a-9d2f-4a67-b8e4-3c7f2a1d0e95");
        key.state = KeyState.CURRENT;
        key.workspaceId = "0d6f2c1e-7b4a-4e39-9c58-1a2b3c4d5e6f";
        key.provider = "local";
        key.keyReference = REFERENCE;
        key.keyCreated = true;
        key.currentVersion = 2;
        key.rotationPeriodDays = 365;
        key.lastRotatedAt = Instant.parse("2026-11-24T09:20:00Z");
        key.nextRotationAt = Instant.parse("2027-11-24T09:20:00Z");
        var state = new TenantKeyState(
                key,
                List.of(version(key, 1, Instant.parse("2026-03-02T14:05:11.250Z")), version(key, 2, key.lastRotatedAt)),
                List.of());

        String written = JSON.writeValueAsString(TenantKeyDtos.cmkView(state));

        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(GoldenSamples.load("workspace-keys/cmk.response")));
    }

    @Test
    void goldenVersionStateRequest_readsIntoTheTypeTheResourceTakes() throws Exception {
        var request =
                JSON.readValue(GoldenSamples.load("workspace-keys/version-state.request"), VersionStateRequest.class);

        assertThat(request.state()).isEqualTo(KeyVersionState.RETIRABLE);
    }

    private static TenantKeyVersion version(TenantKey key, int version, Instant at) {
        return TenantKeyVersion.enabled(key, KmsKeyId.of("local", REFERENCE, version), at);
    }
}

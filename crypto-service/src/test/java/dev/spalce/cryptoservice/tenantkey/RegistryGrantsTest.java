package dev.spalce.cryptoservice.tenantkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spalce.cryptoservice.support.CryptoTestResource;
import dev.spalce.testsupport.Infrastructure;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The service's database role can change a key's lifecycle, never its identity, and never forget a key. */
@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CryptoTestResource.class, scope = TestResourceScope.GLOBAL)
class RegistryGrantsTest {

    @Test
    void serviceRole_cannotDeleteOrRenameKeysOrVersions() throws Exception {
        try (Connection asService = Infrastructure.connectionAs(CryptoTestResource.APP_USER);
                Statement sql = asService.createStatement()) {
            for (String forbidden : new String[] {
                "DELETE FROM tenant_key",
                "DELETE FROM tenant_key_version",
                "TRUNCATE tenant_key_version",
                "UPDATE tenant_key SET key_reference = 'other' WHERE false",
                "UPDATE tenant_key SET key_identity = 'other' WHERE false",
                "UPDATE tenant_key SET provider = 'other' WHERE false",
                "UPDATE tenant_key SET workspace_id = 'other' WHERE false",
                "UPDATE tenant_key_version SET kms_key_id = 'other' WHERE false",
                "UPDATE tenant_key_version SET version = 9 WHERE false"
            }) {
                assertThatThrownBy(() -> sql.executeUpdate(forbidden))
                        .as(forbidden)
                        .hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void serviceRole_canChangeTheLifecycleColumns() throws Exception {
        try (Connection asService = Infrastructure.connectionAs(CryptoTestResource.APP_USER);
                Statement sql = asService.createStatement()) {
            assertThat(sql.executeUpdate("UPDATE tenant_key SET current_version = current_version, "
                            + "next_rotation_at = next_rotation_at WHERE false"))
                    .isZero();
            assertThat(sql.executeUpdate("UPDATE tenant_key_version SET state = state WHERE false"))
                    .isZero();
        }
    }
}

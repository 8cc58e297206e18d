package dev.spalce.keyproviders.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Every spelling of one Key Vault key identifier has one canonical form. */
class AzureKeyReferenceTest {

    private static final String CANONICAL = "https://contoso.vault.azure.net/keys/tenant-key";

    @Test
    void canonical_ofUpperCaseDefaultPortTrailingDotAndSlash_isTheLowerCaseIdentifier() {
        for (String alias : new String[] {
            CANONICAL,
            "https://CONTOSO.vault.azure.net/keys/tenant-key",
            "https://contoso.vault.azure.net:443/keys/tenant-key",
            "HTTPS://Contoso.Vault.Azure.Net:443/Keys/Tenant-Key/",
            "https://contoso.vault.azure.net./keys/tenant-key",
            "  https://contoso.vault.azure.net/keys/TENANT-KEY "
        }) {
            assertThat(AzureKeyVaultKeyProvider.canonical(alias)).as(alias).isEqualTo(CANONICAL);
        }
    }

    @Test
    void canonical_keepsAPortOtherThan443_andRefusesAVersionedIdentifier() {
        assertThat(AzureKeyVaultKeyProvider.canonical("https://127.0.0.1:8443/keys/k"))
                .isEqualTo("https://127.0.0.1:8443/keys/k");
        assertThatThrownBy(() -> AzureKeyVaultKeyProvider.canonical(CANONICAL + "/0123456789abcdef0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AzureKeyVaultKeyProvider.canonical("http://contoso.vault.azure.net/keys/k"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

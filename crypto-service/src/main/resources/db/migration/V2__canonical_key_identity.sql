-- One key serves one workspace, compared on the provider's canonical identity of the key rather than the raw
-- reference: https://CONTOSO.vault.azure.net:443/keys/K and https://contoso.vault.azure.net/keys/k are one Azure
-- key, and the replicas of an AWS multi-Region key in two Regions decrypt each other's ciphertexts.
-- crypto-service computes the identity at registration (KeyProvider.keyIdentity of the canonical reference); rows
-- registered before are given the same identity here. If two workspaces already share a key, creating the unique
-- index fails and this migration with it: that sharing must be resolved by an operator, never silently kept.

ALTER TABLE tenant_key ADD COLUMN key_identity text;

UPDATE tenant_key SET key_identity = CASE provider
    WHEN 'azure-kv' THEN regexp_replace(regexp_replace(lower(key_reference),
            '^https://([^/:]+?)\.?(:443)?(:[0-9]+)?/keys/', 'https://\1\3/keys/'), '/$', '')
    WHEN 'aws-kms' THEN regexp_replace(lower(key_reference),
            '^(arn:aws[a-z-]*):kms:[a-z0-9-]+:([0-9]{12}):key/(mrk-.*)$', '\1:kms:*:\2:key/\3')
    WHEN 'local' THEN lower(key_reference)
    WHEN 'gcp-kms' THEN regexp_replace(regexp_replace(key_reference, '^//cloudkms\.googleapis\.com/', ''), '/$', '')
    ELSE key_reference
END;

ALTER TABLE tenant_key ALTER COLUMN key_identity SET NOT NULL;
ALTER TABLE tenant_key ADD CONSTRAINT tenant_key_provider_identity_key UNIQUE (provider, key_identity);

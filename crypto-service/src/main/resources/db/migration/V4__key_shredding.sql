-- Deleting a workspace shreds its keys (docs/deletion.md): a key crypto-service created (local, pkcs11) has every
-- version destroyed in its provider and becomes 'destroyed'; a customer's key is detached (Spalce never calls it
-- again) and its owner is told to disable it. Either way every version is retired, and shredded_at says the
-- workspace's deletion did it, which no later call undoes. The rows stay: they hold no key material, only which
-- key it was, and are the registry's record of what was shredded.
ALTER TABLE tenant_key DROP CONSTRAINT tenant_key_state_check;
ALTER TABLE tenant_key ADD CONSTRAINT tenant_key_state_check
    CHECK (state IN ('current', 'previous', 'detached', 'destroyed'));
ALTER TABLE tenant_key ADD COLUMN shredded_at timestamptz;

GRANT UPDATE (shredded_at) ON tenant_key TO ${app_user};

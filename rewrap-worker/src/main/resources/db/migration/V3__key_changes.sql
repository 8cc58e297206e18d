-- A workspace may change its master key for another (cmk.changed): until a job has moved every data key off the
-- previous key, each record's rewrap unwraps at the previous key's provider and wraps at the new one's, so a job
-- is paced for both. previous_provider is that provider while the previous key is attached, null otherwise.
ALTER TABLE workspace_key ADD COLUMN previous_provider text;

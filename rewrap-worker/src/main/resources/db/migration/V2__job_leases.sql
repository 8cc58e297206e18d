-- Running a job: the instance that holds it (several workers share the jobs; each job runs in one of them at a
-- time, so no two rewrap the same batch), until when, and the counts a pass needs to decide whether to go on.
ALTER TABLE rewrap_job
    ADD COLUMN lease_owner  text,                                             -- the worker instance running it
    ADD COLUMN lease_until  timestamptz,                                      -- another may take it over after
    ADD COLUMN failed       bigint NOT NULL DEFAULT 0 CHECK (failed >= 0),    -- could not be re-wrapped, this pass
    ADD COLUMN pass_done    bigint NOT NULL DEFAULT 0 CHECK (pass_done >= 0); -- re-wrapped in this pass

CREATE INDEX rewrap_job_runnable_idx ON rewrap_job (created_at) WHERE state = 'running';

GRANT UPDATE (lease_owner, lease_until, failed, pass_done) ON rewrap_job TO ${app_user};

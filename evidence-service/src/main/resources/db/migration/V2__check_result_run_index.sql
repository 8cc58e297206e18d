-- A scan run's results are queried by run (GET check-results?run=...): without this index such a query walks the
-- workspace's results newest first until it has found the run's, which for an old run is nearly all of them.
CREATE INDEX check_result_run_idx ON check_result (workspace_id, run_id, recorded_at DESC, id DESC);

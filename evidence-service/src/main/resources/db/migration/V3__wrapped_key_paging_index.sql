-- rewrap-worker pages through a workspace's records in id order (the rewrap support API's stable cursor). With
-- these indexes a page is an index range scan from the cursor that stops after the page is full, whatever the
-- workspace's size; without them every page sorted every remaining record, and a rewrap of n records cost O(n^2).
CREATE INDEX evidence_file_paging_idx ON evidence_file (workspace_id, id);
CREATE INDEX personnel_paging_idx ON personnel (workspace_id, id);
CREATE INDEX integration_paging_idx ON integration (workspace_id, id);
CREATE INDEX check_result_paging_idx ON check_result (workspace_id, id);

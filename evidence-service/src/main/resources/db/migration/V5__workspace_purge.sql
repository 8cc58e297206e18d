-- Deleting a workspace deletes its exports' rows too (docs/deletion.md); the other tables already grant DELETE.
GRANT DELETE ON workspace_export TO ${app_user};

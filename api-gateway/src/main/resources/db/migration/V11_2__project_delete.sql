-- DELETE /v1/projects/{id} (issue 10): a project is marked deleted (its history stays: operations, deleted
-- instances, audit rows keep pointing at it); its name becomes free for a new project.
ALTER TABLE projects ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE projects DROP CONSTRAINT projects_name_key;
CREATE UNIQUE INDEX projects_live_name ON projects (name) WHERE deleted_at IS NULL;
ALTER TABLE projects ADD CONSTRAINT projects_system_never_deleted CHECK (NOT (system AND deleted_at IS NOT NULL));

-- storage-svc: per-project quotas of block storage (issue 7, point 8).
-- A row holds the limits an admin set; a missing row or a NULL limit means the
-- configured default (virga.volumes.quota.default-*), -1 means unlimited.
-- Usage is never stored: it is counted from volumes / volume_snapshots under the
-- project's quota lock (a transaction-scoped advisory lock), in the transaction
-- that inserts the volume or snapshot, so concurrent creates cannot both slip in.
CREATE TABLE volume_quotas (
    project_id  TEXT        PRIMARY KEY,
    volumes     BIGINT      CHECK (volumes >= -1),
    gigabytes   BIGINT      CHECK (gigabytes >= -1),
    snapshots   BIGINT      CHECK (snapshots >= -1),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- counting a project's volumes without the boot volume records of instances
CREATE INDEX volumes_project_backend_idx ON volumes (project_id, backend);

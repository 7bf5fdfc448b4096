-- storage-svc: volumes with real storage (issue 7). A volume lives on a
-- backend (file, sim) chosen by its volume type; its transient states are
-- claimed in a short transaction, the I/O runs outside any transaction, and a
-- second short transaction records the result. See docs/storage.md.

ALTER TABLE volumes DROP CONSTRAINT volumes_status_check;
ALTER TABLE volumes DROP CONSTRAINT volumes_in_use_has_owner;
ALTER TABLE volumes DROP CONSTRAINT volumes_available_has_no_owner;
ALTER TABLE volumes ADD CONSTRAINT volumes_status_check CHECK (status IN ('CREATING', 'AVAILABLE',
    'ATTACHING', 'IN_USE', 'DETACHING', 'EXTENDING', 'SNAPSHOTTING', 'REVERTING', 'DELETING', 'ERROR'));

ALTER TABLE volumes
    ADD COLUMN volume_type         TEXT    NOT NULL DEFAULT 'standard',
    ADD COLUMN backend             TEXT    NOT NULL DEFAULT 'record',
    ADD COLUMN multiattach         BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN source_volume_id    TEXT,
    ADD COLUMN snapshot_id         TEXT,
    ADD COLUMN target_size_gb      INTEGER CHECK (target_size_gb BETWEEN 1 AND 16384),
    ADD COLUMN pending_instance_id TEXT,
    -- the state a failed attach / detach / extend / revert / snapshot goes back to
    ADD COLUMN resume_status       TEXT,
    ADD COLUMN error               TEXT,
    ADD COLUMN updated_at          TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE volumes ADD CONSTRAINT volumes_attach_claim_has_instance
    CHECK (status NOT IN ('ATTACHING', 'DETACHING') OR pending_instance_id IS NOT NULL);
ALTER TABLE volumes ADD CONSTRAINT volumes_extending_has_target
    CHECK (status <> 'EXTENDING' OR target_size_gb IS NOT NULL);
CREATE INDEX volumes_transient_idx ON volumes (status)
    WHERE status IN ('CREATING', 'EXTENDING', 'SNAPSHOTTING', 'REVERTING', 'DELETING');

-- Which instances a volume is attached to (more than one only for multiattach volumes).
CREATE TABLE volume_attachments (
    volume_id   TEXT        NOT NULL REFERENCES volumes (id) ON DELETE CASCADE,
    instance_id TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (volume_id, instance_id)
);

CREATE TABLE volume_snapshots (
    id          TEXT        PRIMARY KEY,
    project_id  TEXT        NOT NULL,
    volume_id   TEXT        NOT NULL REFERENCES volumes (id) ON DELETE RESTRICT,
    name        TEXT        NOT NULL CHECK (char_length(name) <= 128),
    size_gb     INTEGER     NOT NULL CHECK (size_gb BETWEEN 1 AND 16384),
    status      TEXT        NOT NULL CHECK (status IN ('CREATING', 'AVAILABLE', 'DELETING', 'ERROR')),
    error       TEXT,
    -- creation order inside the volume's chain (oldest first)
    seq         BIGSERIAL   NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX volume_snapshots_volume_idx ON volume_snapshots (volume_id, seq);
CREATE INDEX volume_snapshots_project_idx ON volume_snapshots (project_id, created_at);

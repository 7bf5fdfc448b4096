-- Resize and migration records (GET /v1/migrations) and operation results.
--
-- A migration row follows one move of an instance between hosts: a resize
-- (new flavor, another host), a cold migration, a live migration or an
-- evacuation. Its status is a declared state table (MigrationStatus):
--   pre-migrating -> migrating -> finished -> confirming -> confirmed
--                                         \-> reverting  -> reverted
--                    migrating -> completed            (live migration, evacuation)
--   pre-migrating | migrating -> error
-- At most one open (not final) migration per instance.
CREATE TABLE migrations (
    id               TEXT        PRIMARY KEY CHECK (id ~ '^mig-[0-9a-z]{12}$'),
    instance_id      TEXT        NOT NULL REFERENCES instances (id),
    project_id       TEXT        NOT NULL REFERENCES projects (id),
    kind             TEXT        NOT NULL CHECK (kind IN ('resize', 'migration', 'live-migration', 'evacuation')),
    status           TEXT        NOT NULL CHECK (status IN ('pre-migrating', 'migrating', 'finished', 'confirming',
                         'confirmed', 'reverting', 'reverted', 'completed', 'error')),
    -- the instance's status before the move (ACTIVE, STOPPED, ERROR): what a confirm or revert returns to
    previous_status  TEXT        NOT NULL,
    source_host_id   TEXT        NOT NULL,
    source_host_name TEXT        NOT NULL,
    source_endpoint  TEXT        NOT NULL,
    dest_host_id     TEXT,
    dest_host_name   TEXT,
    dest_endpoint    TEXT,
    -- an admin's choice of destination, or null
    requested_host   TEXT,
    old_flavor       JSONB       NOT NULL,
    new_flavor       JSONB       NOT NULL,
    operation_id     TEXT        NOT NULL REFERENCES operations (id),
    fault_message    TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((dest_host_id IS NULL) = (dest_endpoint IS NULL))
);
CREATE UNIQUE INDEX migrations_one_open ON migrations (instance_id)
    WHERE status NOT IN ('confirmed', 'reverted', 'completed', 'error');
CREATE INDEX migrations_by_created ON migrations (created_at, id);
CREATE INDEX migrations_by_instance ON migrations (instance_id);

-- What an operation produced, e.g. {"image_id": "img-…"} for a snapshot.
ALTER TABLE operations ADD COLUMN result JSONB;

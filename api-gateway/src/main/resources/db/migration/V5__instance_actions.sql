-- Instance actions (stop, start, reboot, pause, suspend, snapshot, rebuild,
-- resize, migrate, live-migrate, evacuate, lock) and PATCH.

-- Statuses as in the API; tasks and operation kinds are declared by the
-- gateway's enums (InstanceTask, OperationKind): the database checks their shape.
ALTER TABLE instances DROP CONSTRAINT instances_status_check;
ALTER TABLE instances ADD CONSTRAINT instances_status_check CHECK (status IN ('BUILDING', 'ACTIVE', 'STOPPED',
    'PAUSED', 'SUSPENDED', 'MIGRATING', 'RESIZING', 'VERIFY_RESIZE', 'REBUILDING', 'ERROR', 'DELETING', 'DELETED'));
ALTER TABLE instances DROP CONSTRAINT instances_task_check;
ALTER TABLE instances ADD CONSTRAINT instances_task_check CHECK (task IS NULL OR task ~ '^[a-z][a-z_]{0,31}$');
ALTER TABLE operations DROP CONSTRAINT operations_kind_check;
ALTER TABLE operations ADD CONSTRAINT operations_kind_check CHECK (kind ~ '^[a-z]+\.[a-z][a-z-]{0,31}$');

-- What PATCH changes, and the lock.
ALTER TABLE instances ADD COLUMN description TEXT CHECK (description IS NULL OR length(description) <= 255);
ALTER TABLE instances ADD COLUMN metadata JSONB NOT NULL DEFAULT '{}';
ALTER TABLE instances ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 50);
ALTER TABLE instances ADD COLUMN locked BOOLEAN NOT NULL DEFAULT false;

-- Instances, their operations (async task records) and the persisted sagas
-- that build and delete them. Owned by the INSTANCES part of api-gateway.

CREATE TABLE instances (
    id                 TEXT        PRIMARY KEY CHECK (id ~ '^i-[0-9a-z]{12}$'),
    project_id         TEXT        NOT NULL REFERENCES projects (id),
    name               TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    -- flavor snapshot: the instance keeps what it was built with, even if the flavor changes
    flavor_id          TEXT        NOT NULL,
    flavor_name        TEXT        NOT NULL,
    vcpus              INT         NOT NULL CHECK (vcpus > 0),
    ram_mb             BIGINT      NOT NULL CHECK (ram_mb > 0),
    disk_gb            INT         NOT NULL CHECK (disk_gb >= 0),
    kind               TEXT        NOT NULL,
    virt_mode          TEXT        NOT NULL,
    image_id           TEXT        NOT NULL,
    requested_networks TEXT[]      NOT NULL CHECK (cardinality(requested_networks) BETWEEN 1 AND 8),
    user_data          TEXT        CHECK (user_data IS NULL OR length(user_data) <= 87400),
    status             TEXT        NOT NULL CHECK (status IN ('BUILDING', 'ACTIVE', 'STOPPED', 'PAUSED',
                           'SUSPENDED', 'MIGRATING', 'RESIZING', 'ERROR', 'DELETING', 'DELETED')),
    task               TEXT        CHECK (task IN ('scheduling', 'networking', 'block_device_mapping',
                           'spawning', 'cleaning_up', 'deleting')),
    host_id            TEXT,
    host_name          TEXT,
    host_endpoint      TEXT,
    fault_message      TEXT,
    fault_code         TEXT,
    -- true while the instance counts against its project's quota; released exactly once
    quota_held         BOOLEAN     NOT NULL DEFAULT true,
    version            BIGINT      NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at         TIMESTAMPTZ,
    CHECK ((status = 'DELETED') = (deleted_at IS NOT NULL)),
    CHECK (status <> 'DELETED' OR NOT quota_held),
    CHECK (status NOT IN ('ACTIVE', 'STOPPED', 'PAUSED', 'SUSPENDED') OR host_id IS NOT NULL),
    CHECK ((host_id IS NULL) = (host_endpoint IS NULL)),
    CHECK ((fault_message IS NULL) = (fault_code IS NULL))
);
CREATE INDEX instances_by_project ON instances (project_id, created_at, id);

CREATE TABLE instance_ports (
    port_id     TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL REFERENCES instances (id),
    position    INT  NOT NULL CHECK (position BETWEEN 0 AND 7),
    network_id  TEXT NOT NULL,
    ip_address  TEXT NOT NULL,
    mac_address TEXT NOT NULL,
    UNIQUE (instance_id, position)
);

CREATE TABLE instance_volumes (
    volume_id   TEXT    PRIMARY KEY,
    instance_id TEXT    NOT NULL REFERENCES instances (id),
    size_gb     INT     NOT NULL CHECK (size_gb > 0),
    boot        BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX instance_volumes_one_boot ON instance_volumes (instance_id) WHERE boot;

CREATE TABLE operations (
    id            TEXT        PRIMARY KEY CHECK (id ~ '^op-[0-9a-z]{12}$'),
    project_id    TEXT        NOT NULL REFERENCES projects (id),
    kind          TEXT        NOT NULL CHECK (kind IN ('instance.create', 'instance.delete')),
    resource_id   TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    fault_message TEXT,
    fault_code    TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
    CHECK ((fault_message IS NULL) = (fault_code IS NULL)),
    CHECK (status = 'FAILED' OR fault_code IS NULL)
);
CREATE INDEX operations_by_project ON operations (project_id, created_at, id);
CREATE INDEX operations_by_resource ON operations (resource_id);

CREATE TABLE operation_steps (
    operation_id TEXT        NOT NULL REFERENCES operations (id),
    seq          INT         NOT NULL CHECK (seq >= 1),
    name         TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    detail       TEXT,
    PRIMARY KEY (operation_id, seq),
    CHECK ((status = 'RUNNING') = (finished_at IS NULL))
);

-- One persisted saga per operation. A runner claims a runnable row with
-- FOR UPDATE SKIP LOCKED and a lease; an expired lease (a dead process) is taken over.
CREATE TABLE sagas (
    operation_id     TEXT        PRIMARY KEY REFERENCES operations (id),
    instance_id      TEXT        NOT NULL REFERENCES instances (id),
    kind             TEXT        NOT NULL CHECK (kind IN ('create', 'delete')),
    step             TEXT        NOT NULL,
    state            TEXT        NOT NULL CHECK (state IN ('RUNNING', 'COMPENSATING', 'SUCCEEDED', 'FAILED',
                         'CANCELLED')),
    attempts         INT         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    excluded_hosts   TEXT[]      NOT NULL DEFAULT '{}',
    data             JSONB       NOT NULL DEFAULT '{}',
    -- the compute node's answer to the current spawn, written by the power-state consumer
    observed_state   TEXT,
    observed_host    TEXT,
    observed_message TEXT,
    lease_owner      TEXT,
    lease_until      TIMESTAMPTZ,
    next_run_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (instance_id, kind),
    CHECK ((lease_owner IS NULL) = (lease_until IS NULL))
);
CREATE INDEX sagas_runnable ON sagas (next_run_at) WHERE state IN ('RUNNING', 'COMPENSATING');

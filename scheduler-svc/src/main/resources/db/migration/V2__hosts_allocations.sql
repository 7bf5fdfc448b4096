-- Hosts are resource providers: their totals come from HostReport events,
-- their used_* counters move only together with an allocation row (claim or
-- release, one transaction each). generation is bumped on every change that
-- placement decisions depend on, so a claim can compare-and-set on it.
CREATE TABLE hosts (
    id                TEXT        PRIMARY KEY,
    name              TEXT        NOT NULL CHECK (name <> ''),
    hypervisor_type   TEXT        NOT NULL CHECK (hypervisor_type <> ''),
    compute_endpoint  TEXT        NOT NULL,
    enabled           BOOLEAN     NOT NULL DEFAULT true,
    total_vcpus       INTEGER     NOT NULL CHECK (total_vcpus >= 0),
    total_ram_mb      BIGINT      NOT NULL CHECK (total_ram_mb >= 0),
    total_disk_gb     BIGINT      NOT NULL CHECK (total_disk_gb >= 0),
    used_vcpus        INTEGER     NOT NULL DEFAULT 0 CHECK (used_vcpus >= 0),
    used_ram_mb       BIGINT      NOT NULL DEFAULT 0 CHECK (used_ram_mb >= 0),
    used_disk_gb      BIGINT      NOT NULL DEFAULT 0 CHECK (used_disk_gb >= 0),
    traits            TEXT[]      NOT NULL DEFAULT '{}',
    last_heartbeat_at TIMESTAMPTZ NOT NULL,
    generation        BIGINT      NOT NULL DEFAULT 0 CHECK (generation >= 0),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One claim per consumer (instance): the primary key makes SelectAndClaim
-- idempotent even when two replicas race for the same consumer.
CREATE TABLE allocations (
    consumer_id TEXT        PRIMARY KEY CHECK (consumer_id <> ''),
    host_id     TEXT        NOT NULL REFERENCES hosts (id),
    vcpus       INTEGER     NOT NULL CHECK (vcpus > 0),
    ram_mb      BIGINT      NOT NULL CHECK (ram_mb > 0),
    disk_gb     BIGINT      NOT NULL CHECK (disk_gb >= 0),
    project_id  TEXT        NOT NULL CHECK (project_id <> ''),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX allocations_host_id ON allocations (host_id);

-- Placement at scale (issue 9).
--
-- Capacity moves from fixed columns to rows per resource class: a host
-- (resource provider) has one inventory row per class it offers, an
-- allocation (one per consumer) has one row per class it holds. The usage
-- counter of an inventory row moves only together with allocation rows
-- (claim, release, transfer), in one transaction that holds the host row's
-- lock, so for every inventory row used = sum(amount of its allocation rows).
--
-- Every change a placement depends on (report, claim, release, admin action,
-- aggregate membership) stamps the host row with a fresh change_seq; the
-- scheduler replicas keep a cache of hosts and re-read only rows whose
-- change_seq is newer than what they saw (index hosts_change_seq).

CREATE SEQUENCE host_changes;

ALTER TABLE hosts
    ADD COLUMN change_seq        BIGINT  NOT NULL DEFAULT nextval('host_changes'),
    ADD COLUMN disabled_reason   TEXT    NOT NULL DEFAULT '',
    ADD COLUMN maintenance       BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN availability_zone TEXT    NOT NULL DEFAULT '';
CREATE INDEX hosts_change_seq ON hosts (change_seq);
CREATE INDEX hosts_name_id ON hosts (name, id);

CREATE TABLE inventories (
    host_id          TEXT    NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    resource_class   TEXT    NOT NULL CHECK (resource_class ~ '^[A-Z][A-Z0-9_]{0,63}$'),
    total            BIGINT  NOT NULL CHECK (total >= 0),
    reserved         BIGINT  NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    min_unit         BIGINT  NOT NULL DEFAULT 1 CHECK (min_unit >= 0),
    max_unit         BIGINT  NOT NULL CHECK (max_unit >= min_unit),
    step_size        BIGINT  NOT NULL DEFAULT 1 CHECK (step_size >= 1),
    allocation_ratio FLOAT8  NOT NULL CHECK (allocation_ratio > 0),
    -- set by an admin (host or aggregate); a host report then keeps it
    ratio_pinned     BOOLEAN NOT NULL DEFAULT false,
    used             BIGINT  NOT NULL DEFAULT 0 CHECK (used >= 0),
    PRIMARY KEY (host_id, resource_class)
);

-- Inventories of the hosts known so far, with the ratios the service used
-- until now (its defaults: VCPU 4.0, MEMORY_MB 1.0, DISK_GB 1.0).
INSERT INTO inventories (host_id, resource_class, total, max_unit, allocation_ratio, used)
SELECT id, 'VCPU', total_vcpus, greatest(floor(total_vcpus * 4.0)::bigint, 1), 4.0, used_vcpus FROM hosts
UNION ALL
SELECT id, 'MEMORY_MB', total_ram_mb, greatest(total_ram_mb, 1), 1.0, used_ram_mb FROM hosts
UNION ALL
SELECT id, 'DISK_GB', total_disk_gb, greatest(total_disk_gb, 1), 1.0, used_disk_gb FROM hosts;

-- Server groups: members are the claims that name the group.
CREATE TABLE server_groups (
    id         TEXT        PRIMARY KEY CHECK (id <> ''),
    name       TEXT        NOT NULL CHECK (name <> ''),
    project_id TEXT        NOT NULL CHECK (project_id <> ''),
    policy     TEXT        NOT NULL CHECK (policy IN ('affinity', 'anti-affinity', 'soft-affinity',
                                                      'soft-anti-affinity')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per consumer (the claim), one row per resource class it holds.
ALTER TABLE allocations RENAME TO allocations_v2;
ALTER INDEX allocations_host_id RENAME TO allocations_v2_host_id;
ALTER TABLE allocations_v2 RENAME CONSTRAINT allocations_pkey TO allocations_v2_pkey;

CREATE TABLE allocations (
    consumer_id     TEXT        PRIMARY KEY CHECK (consumer_id <> ''),
    host_id         TEXT        NOT NULL REFERENCES hosts (id),
    project_id      TEXT        NOT NULL CHECK (project_id <> ''),
    server_group_id TEXT        REFERENCES server_groups (id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX allocations_host_id ON allocations (host_id);
CREATE INDEX allocations_server_group ON allocations (server_group_id) WHERE server_group_id IS NOT NULL;

CREATE TABLE allocation_resources (
    consumer_id    TEXT   NOT NULL REFERENCES allocations (consumer_id) ON DELETE CASCADE ON UPDATE CASCADE,
    resource_class TEXT   NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (consumer_id, resource_class)
);

INSERT INTO allocations (consumer_id, host_id, project_id, created_at)
SELECT consumer_id, host_id, project_id, created_at FROM allocations_v2;
INSERT INTO allocation_resources (consumer_id, resource_class, amount)
SELECT consumer_id, 'VCPU', vcpus FROM allocations_v2
UNION ALL SELECT consumer_id, 'MEMORY_MB', ram_mb FROM allocations_v2
UNION ALL SELECT consumer_id, 'DISK_GB', disk_gb FROM allocations_v2;
DROP TABLE allocations_v2;

ALTER TABLE hosts
    DROP COLUMN total_vcpus, DROP COLUMN total_ram_mb, DROP COLUMN total_disk_gb,
    DROP COLUMN used_vcpus, DROP COLUMN used_ram_mb, DROP COLUMN used_disk_gb;

-- Aggregates group hosts; one with an availability zone puts its hosts in
-- that zone (a host is in at most one zone: hosts.availability_zone, set and
-- checked under the host row's lock). Metadata may restrict the hosts to
-- projects (filter_project_ids) or flavors (filter_flavor_ids), as
-- comma-separated lists.
CREATE TABLE aggregates (
    id                TEXT        PRIMARY KEY CHECK (id <> ''),
    name              TEXT        NOT NULL UNIQUE CHECK (name <> ''),
    availability_zone TEXT        NOT NULL DEFAULT '',
    metadata          JSONB       NOT NULL DEFAULT '{}',
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE aggregate_hosts (
    aggregate_id TEXT NOT NULL REFERENCES aggregates (id) ON DELETE CASCADE,
    host_id      TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    PRIMARY KEY (aggregate_id, host_id)
);
CREATE INDEX aggregate_hosts_host ON aggregate_hosts (host_id);

-- Deleting hosts (tests, decommissioning) moves this sequence; replica caches
-- compare it on each refresh and re-read everything when it moved.
CREATE SEQUENCE host_deletions;
CREATE FUNCTION note_host_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('host_deletions');
    RETURN NULL;
END $$;
CREATE TRIGGER hosts_deleted AFTER DELETE ON hosts FOR EACH STATEMENT EXECUTE FUNCTION note_host_deletion();
CREATE TRIGGER hosts_truncated AFTER TRUNCATE ON hosts FOR EACH STATEMENT EXECUTE FUNCTION note_host_deletion();

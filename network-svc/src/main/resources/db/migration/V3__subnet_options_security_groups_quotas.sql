-- issue 8: subnet options, ports bound to existing devices, security groups,
-- per-project quotas of network resources.

-- A subnet's name is optional (users of other clouds leave it out).
ALTER TABLE subnets DROP CONSTRAINT subnets_name_check;
ALTER TABLE subnets ADD CONSTRAINT subnets_name_check CHECK (name ~ '^[A-Za-z0-9._-]{0,64}$');
-- DNS servers handed to guests, host routes ('destination-cidr,nexthop' pairs).
ALTER TABLE subnets ADD COLUMN dns_nameservers INET[] NOT NULL DEFAULT '{}';
ALTER TABLE subnets ADD COLUMN host_routes TEXT[] NOT NULL DEFAULT '{}';

-- Allocation pools: the ranges ports take addresses from (default: every host
-- address of the subnet but the gateway). Inclusive bounds.
CREATE TABLE subnet_pools (
    subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    first_ip  INET NOT NULL CHECK (family(first_ip) = 4 AND masklen(first_ip) = 32),
    last_ip   INET NOT NULL CHECK (family(last_ip) = 4 AND masklen(last_ip) = 32),
    CHECK (first_ip <= last_ip),
    PRIMARY KEY (subnet_id, first_ip)
);
-- subnets made before pools existed: every host address but the gateway
INSERT INTO subnet_pools (subnet_id, first_ip, last_ip)
SELECT id, set_masklen(network(cidr), 32) + 1, gateway_ip - 1 FROM subnets
 WHERE gateway_ip > set_masklen(network(cidr), 32) + 1;
INSERT INTO subnet_pools (subnet_id, first_ip, last_ip)
SELECT id, gateway_ip + 1, set_masklen(broadcast(cidr), 32) - 1 FROM subnets
 WHERE gateway_ip < set_masklen(broadcast(cidr), 32) - 1;

-- A port made by CreatePort for a device is deleted with it (auto_delete); a
-- port the user made and then bound to an instance is only unbound.
ALTER TABLE ports ADD COLUMN auto_delete BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE security_groups (
    id          TEXT        PRIMARY KEY,
    project_id  TEXT        NOT NULL,
    name        TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    description TEXT        NOT NULL DEFAULT '' CHECK (length(description) <= 255),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- one group per name and project, so the 'default' group exists once
    CONSTRAINT security_groups_project_name_key UNIQUE (project_id, name)
);

CREATE TABLE security_group_rules (
    id              TEXT        PRIMARY KEY,
    group_id        TEXT        NOT NULL REFERENCES security_groups (id) ON DELETE CASCADE,
    project_id      TEXT        NOT NULL,
    direction       TEXT        NOT NULL CHECK (direction IN ('ingress', 'egress')),
    protocol        TEXT        NOT NULL CHECK (protocol IN ('any', 'tcp', 'udp', 'icmp')),
    port_min        INTEGER     CHECK (port_min BETWEEN 1 AND 65535),
    port_max        INTEGER     CHECK (port_max BETWEEN 1 AND 65535),
    remote_cidr     CIDR        CHECK (family(remote_cidr) = 4),
    remote_group_id TEXT        REFERENCES security_groups (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    CHECK (port_min IS NULL OR (port_max IS NOT NULL AND port_min <= port_max AND protocol IN ('tcp', 'udp'))),
    CHECK (remote_cidr IS NULL OR remote_group_id IS NULL)
);
CREATE INDEX security_group_rules_group_idx ON security_group_rules (group_id, created_at);

CREATE TABLE port_security_groups (
    port_id  TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
    group_id TEXT NOT NULL REFERENCES security_groups (id),
    PRIMARY KEY (port_id, group_id)
);
CREATE INDEX port_security_groups_group_idx ON port_security_groups (group_id);

-- Limits per project and resource; a missing row means the default limit.
CREATE TABLE quotas (
    project_id TEXT    NOT NULL,
    resource   TEXT    NOT NULL CHECK (resource IN ('networks', 'subnets', 'ports', 'security_groups',
                                                    'security_group_rules', 'floating_ips')),
    max_count  INTEGER NOT NULL CHECK (max_count >= -1),
    PRIMARY KEY (project_id, resource)
);

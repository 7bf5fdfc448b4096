-- issue 8: external networks, routers, floating IPs.

-- An external network carries router gateways and floating IPs; every
-- project sees it, no guest port is made on it.
ALTER TABLE networks ADD COLUMN external BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE quotas DROP CONSTRAINT quotas_resource_check;
ALTER TABLE quotas ADD CONSTRAINT quotas_resource_check CHECK (resource IN ('networks', 'subnets', 'ports',
    'security_groups', 'security_group_rules', 'floating_ips', 'routers'));

-- Addresses of external subnets held by router gateways and floating IPs
-- (ports never live on external networks). The primary key is the last
-- line of defence against a double allocation.
CREATE TABLE external_ips (
    subnet_id TEXT NOT NULL REFERENCES subnets (id),
    ip        INET NOT NULL CHECK (family(ip) = 4 AND masklen(ip) = 32),
    holder_id TEXT NOT NULL,
    PRIMARY KEY (subnet_id, ip)
);
CREATE UNIQUE INDEX external_ips_holder_idx ON external_ips (holder_id);

-- States: ACTIVE from creation until deleted (delete refused while it has interfaces).
CREATE TABLE routers (
    id                  TEXT        PRIMARY KEY,
    project_id          TEXT        NOT NULL,
    name                TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    external_network_id TEXT        NOT NULL REFERENCES networks (id),
    gateway_subnet_id   TEXT        NOT NULL REFERENCES subnets (id),
    gateway_ip          INET        NOT NULL,
    status              TEXT        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE')),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (gateway_subnet_id, gateway_ip) REFERENCES external_ips (subnet_id, ip)
);
CREATE INDEX routers_project_idx ON routers (project_id, created_at);

-- A subnet is joined to at most one router; the router takes its gateway address.
CREATE TABLE router_interfaces (
    subnet_id  TEXT        PRIMARY KEY REFERENCES subnets (id),
    router_id  TEXT        NOT NULL REFERENCES routers (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX router_interfaces_router_idx ON router_interfaces (router_id);

-- A port has at most one floating IP; deleting the port disassociates it.
CREATE TABLE floating_ips (
    id          TEXT        PRIMARY KEY,
    project_id  TEXT        NOT NULL,
    network_id  TEXT        NOT NULL REFERENCES networks (id),
    subnet_id   TEXT        NOT NULL,
    ip          INET        NOT NULL,
    port_id     TEXT        REFERENCES ports (id) ON DELETE SET NULL,
    version     INTEGER     NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    FOREIGN KEY (subnet_id, ip) REFERENCES external_ips (subnet_id, ip),
    CONSTRAINT floating_ips_port_key UNIQUE (port_id)
);
CREATE INDEX floating_ips_project_idx ON floating_ips (project_id, created_at);

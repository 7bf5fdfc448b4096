-- network-svc: networks (VNI), subnets (IPv4 CIDR + gateway), ports (MAC + IP).
-- The constraints below make the database itself refuse bad states; the
-- service validates first so that users get readable errors.

-- VNIs come from a cycling sequence; UNIQUE (vni) forbids duplicates after a
-- wrap-around (the service then moves on to the next free VNI).
CREATE SEQUENCE network_vni_seq AS integer MINVALUE 1 MAXVALUE 16777215 START 1 CYCLE;

CREATE TABLE networks (
    id         TEXT        PRIMARY KEY,
    project_id TEXT        NOT NULL,
    name       TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    vni        INTEGER     NOT NULL CHECK (vni BETWEEN 1 AND 16777215),
    shared     BOOLEAN     NOT NULL DEFAULT false,
    status     TEXT        NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT networks_vni_key UNIQUE (vni),
    CONSTRAINT networks_id_project_key UNIQUE (id, project_id)
);
CREATE INDEX networks_project_idx ON networks (project_id, created_at);
CREATE INDEX networks_shared_idx ON networks (created_at) WHERE shared;

CREATE TABLE subnets (
    id         TEXT        PRIMARY KEY,
    network_id TEXT        NOT NULL,
    project_id TEXT        NOT NULL,
    name       TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    cidr       CIDR        NOT NULL CHECK (family(cidr) = 4 AND masklen(cidr) BETWEEN 8 AND 30),
    gateway_ip INET        NOT NULL CHECK (family(gateway_ip) = 4 AND masklen(gateway_ip) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- a subnet belongs to its network's owner
    CONSTRAINT subnets_network_fk FOREIGN KEY (network_id, project_id) REFERENCES networks (id, project_id),
    CONSTRAINT subnets_gateway_usable CHECK (gateway_ip << cidr
        AND host(gateway_ip) <> host(network(cidr)) AND host(gateway_ip) <> host(broadcast(cidr))),
    CONSTRAINT subnets_id_network_key UNIQUE (id, network_id)
);
CREATE INDEX subnets_network_idx ON subnets (network_id, created_at);

CREATE TABLE ports (
    id          TEXT        PRIMARY KEY,
    project_id  TEXT        NOT NULL,
    network_id  TEXT        NOT NULL REFERENCES networks (id),
    subnet_id   TEXT        NOT NULL,
    mac_address MACADDR     NOT NULL CHECK (text(mac_address) LIKE 'fa:16:3e:%'),
    ip          INET        NOT NULL CHECK (family(ip) = 4 AND masklen(ip) = 32),
    device_id   TEXT        NOT NULL DEFAULT '',
    status      TEXT        NOT NULL DEFAULT 'DOWN' CHECK (status IN ('DOWN', 'ACTIVE')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- the port's subnet is a subnet of the port's network
    CONSTRAINT ports_subnet_fk FOREIGN KEY (subnet_id, network_id) REFERENCES subnets (id, network_id),
    CONSTRAINT ports_mac_key UNIQUE (mac_address),
    CONSTRAINT ports_subnet_ip_key UNIQUE (subnet_id, ip)
);
CREATE INDEX ports_project_device_idx ON ports (project_id, device_id);
CREATE INDEX ports_network_idx ON ports (network_id);

-- A port's address is a usable host address of its subnet (not the network,
-- broadcast or gateway address).
CREATE FUNCTION ports_ip_usable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s subnets%ROWTYPE;
BEGIN
    SELECT * INTO s FROM subnets WHERE id = NEW.subnet_id;
    IF FOUND AND NOT (NEW.ip << s.cidr
            AND host(NEW.ip) <> host(network(s.cidr))
            AND host(NEW.ip) <> host(broadcast(s.cidr))
            AND NEW.ip <> s.gateway_ip) THEN
        RAISE EXCEPTION 'ip % is not a usable address of subnet % (%)', NEW.ip, s.id, s.cidr
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ports_ip_usable BEFORE INSERT OR UPDATE OF ip, subnet_id ON ports
    FOR EACH ROW EXECUTE FUNCTION ports_ip_usable();

-- Idempotency of CreatePort: the first port made for (project_id, request_id).
-- Kept after the port is deleted, so that a late retry cannot resurrect it.
CREATE TABLE port_requests (
    project_id TEXT        NOT NULL,
    request_id TEXT        NOT NULL,
    port_id    TEXT        NOT NULL,
    network_id TEXT        NOT NULL,
    device_id  TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (project_id, request_id)
);

-- Projects, API tokens, quotas and usage, flavors, idempotency keys.
-- Owned by the CORE part of api-gateway.

CREATE TABLE projects (
    id         TEXT        PRIMARY KEY CHECK (id ~ '^prj-[0-9a-z]{12}$'),
    name       TEXT        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    system     BOOLEAN     NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- at most one system project (the cloud admins' project)
CREATE UNIQUE INDEX projects_one_system ON projects (system) WHERE system;

-- Bearer tokens: only the SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
    id           TEXT        PRIMARY KEY CHECK (id ~ '^t-[0-9a-z]{12}$'),
    project_id   TEXT        NOT NULL REFERENCES projects (id),
    role         TEXT        NOT NULL CHECK (role IN ('admin', 'member', 'reader')),
    name         TEXT        CHECK (name IS NULL OR length(name) BETWEEN 1 AND 64),
    token_sha256 BYTEA       NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_by_project ON api_tokens (project_id, created_at, id);

-- One row per project: its limits and what it currently holds.
-- Usage may exceed limits (limits can be lowered below usage); reserve() refuses growth then.
CREATE TABLE project_quotas (
    project_id      TEXT   PRIMARY KEY REFERENCES projects (id),
    limit_instances INT    NOT NULL CHECK (limit_instances >= 0),
    limit_vcpus     INT    NOT NULL CHECK (limit_vcpus >= 0),
    limit_ram_mb    BIGINT NOT NULL CHECK (limit_ram_mb >= 0),
    used_instances  INT    NOT NULL DEFAULT 0 CHECK (used_instances >= 0),
    used_vcpus      INT    NOT NULL DEFAULT 0 CHECK (used_vcpus >= 0),
    used_ram_mb     BIGINT NOT NULL DEFAULT 0 CHECK (used_ram_mb >= 0)
);

CREATE TABLE flavors (
    id         TEXT        PRIMARY KEY CHECK (id ~ '^f-[0-9a-z]{12}$'),
    name       TEXT        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    vcpus      INT         NOT NULL CHECK (vcpus BETWEEN 1 AND 256),
    ram_mb     BIGINT      NOT NULL CHECK (ram_mb BETWEEN 64 AND 4194304),
    disk_gb    INT         NOT NULL CHECK (disk_gb BETWEEN 0 AND 65536),
    kind       TEXT        NOT NULL CHECK (kind IN ('vm', 'container', 'desktop')),
    virt_mode  TEXT        NOT NULL CHECK (virt_mode IN ('full', 'para', 'hybrid')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- First answers of POSTs made with an Idempotency-Key, replayed on retry for 24 h.
-- status 0 = the first request is still in progress.
CREATE TABLE idempotency_keys (
    project_id     TEXT        NOT NULL,
    key            TEXT        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    method         TEXT        NOT NULL,
    path           TEXT        NOT NULL,
    request_sha256 BYTEA       NOT NULL CHECK (length(request_sha256) = 32),
    status         INT         NOT NULL CHECK (status = 0 OR status BETWEEN 100 AND 599),
    location       TEXT,
    content_type   TEXT,
    body           BYTEA,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

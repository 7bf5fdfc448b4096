-- The audit log (GET /v1/audit, issue 10): one row per mutating call under /v1
-- (POST, PUT, PATCH, DELETE), written by AuditLogFilter in its own short
-- transaction together with its outbox record for topic virga.audit.v1.
-- No request or response bodies, no query strings, no token values.
CREATE TABLE audit_log (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT        NOT NULL UNIQUE,
    at          TIMESTAMPTZ NOT NULL,
    token_id    TEXT,
    project_id  TEXT,
    role        TEXT,
    cloud_admin BOOLEAN     NOT NULL DEFAULT false,
    method      TEXT        NOT NULL,
    route       TEXT        NOT NULL,
    path        TEXT        NOT NULL,
    resource_id TEXT,
    created_id  TEXT,
    status      INT         NOT NULL,
    request_id  TEXT        NOT NULL
);
CREATE INDEX audit_log_project ON audit_log (project_id, seq);
CREATE INDEX audit_log_actor ON audit_log (token_id, seq);
CREATE INDEX audit_log_resource ON audit_log (resource_id, seq);
CREATE INDEX audit_log_created ON audit_log (created_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

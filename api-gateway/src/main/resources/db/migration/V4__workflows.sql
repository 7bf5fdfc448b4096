-- The general workflow engine (supersedes the instance-only "sagas" of V3,
-- which stays in place, no longer written, so that this migration is additive).
--
-- A workflow belongs to a resource (resource_type, resource_id) and is the
-- persisted state machine behind one operation (operation_id). At most one
-- workflow per resource is active (RUNNING or COMPENSATING) at a time,
-- enforced below; a workflow that must follow the active one (a delete
-- arriving during a create) is WAITING and becomes RUNNING when that one ends.

CREATE TABLE workflows (
    operation_id     TEXT        PRIMARY KEY REFERENCES operations (id),
    resource_type    TEXT        NOT NULL CHECK (resource_type ~ '^[a-z][a-z_]{0,31}$'),
    resource_id      TEXT        NOT NULL,
    flow             TEXT        NOT NULL,
    step             TEXT        NOT NULL,
    state            TEXT        NOT NULL CHECK (state IN ('WAITING', 'RUNNING', 'COMPENSATING', 'SUCCEEDED',
                         'FAILED', 'CANCELLED')),
    -- failures of the current step so far (reset when a step succeeds)
    attempts         INT         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- since when the current step has met a transient outage without a success in between
    failing_since    TIMESTAMPTZ,
    -- the flow's typed data as JSON with a "version" field (no field: version 1)
    data             JSONB       NOT NULL DEFAULT '{}',
    -- set when another operation (a delete) needs this one to stop at its next step
    cancel_requested BOOLEAN     NOT NULL DEFAULT false,
    lease_owner      TEXT,
    lease_until      TIMESTAMPTZ,
    next_run_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((lease_owner IS NULL) = (lease_until IS NULL))
);
CREATE UNIQUE INDEX workflows_one_active_per_resource ON workflows (resource_type, resource_id)
    WHERE state IN ('RUNNING', 'COMPENSATING');
CREATE UNIQUE INDEX workflows_one_waiting_per_resource ON workflows (resource_type, resource_id)
    WHERE state = 'WAITING';
CREATE INDEX workflows_runnable ON workflows (next_run_at) WHERE state IN ('RUNNING', 'COMPENSATING');
CREATE INDEX workflows_by_resource ON workflows (resource_type, resource_id);

-- Observations addressed to a running workflow (a compute node reported a
-- power state, a volume became available, ...). Posting one makes the
-- workflow due at once (and NOTIFYs virga_workflows); the step that reads
-- them consumes them when its outcome is saved.
CREATE TABLE workflow_mailbox (
    id           BIGSERIAL   PRIMARY KEY,
    operation_id TEXT        NOT NULL REFERENCES workflows (operation_id),
    kind         TEXT        NOT NULL CHECK (kind ~ '^[a-z][a-z_.]{0,63}$'),
    source       TEXT,
    payload      JSONB       NOT NULL DEFAULT '{}',
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX workflow_mailbox_by_workflow ON workflow_mailbox (operation_id, id);

-- Carry the sagas over. Data written by the spine's build has no "version"
-- (= version 1); the excluded hosts move from their column into the data.
-- A delete waiting for a create ("wait_for_create") becomes WAITING behind
-- it, and the create is asked to cancel (as the delete had asked it).
INSERT INTO workflows (operation_id, resource_type, resource_id, flow, step, state, attempts, data,
                       cancel_requested, lease_owner, lease_until, next_run_at, created_at, updated_at)
SELECT s.operation_id, 'instance', s.instance_id, 'instance.' || s.kind,
       CASE WHEN s.kind = 'delete' AND s.step = 'wait_for_create' THEN 'destroy_guest' ELSE s.step END,
       CASE WHEN s.kind = 'delete' AND s.state IN ('RUNNING', 'COMPENSATING') AND EXISTS (
                SELECT 1 FROM sagas c WHERE c.instance_id = s.instance_id AND c.kind = 'create'
                AND c.state IN ('RUNNING', 'COMPENSATING')) THEN 'WAITING'
            ELSE s.state END,
       s.attempts,
       s.data || jsonb_build_object('excludedHosts', to_jsonb(s.excluded_hosts)),
       s.kind = 'create' AND s.state IN ('RUNNING', 'COMPENSATING') AND EXISTS (
                SELECT 1 FROM sagas d WHERE d.instance_id = s.instance_id AND d.kind = 'delete'
                AND d.state IN ('RUNNING', 'COMPENSATING')),
       s.lease_owner, s.lease_until, s.next_run_at, s.created_at, s.updated_at
FROM sagas s;

INSERT INTO workflow_mailbox (operation_id, kind, source, payload)
SELECT s.operation_id, 'power_state', s.observed_host,
       jsonb_build_object('state', s.observed_state, 'message', coalesce(s.observed_message, ''))
FROM sagas s
WHERE s.observed_state IS NOT NULL AND s.state IN ('RUNNING', 'COMPENSATING');

COMMENT ON TABLE sagas IS 'superseded by workflows (V4); kept read-only for one release';

-- Stacks: declarative specs per project, the resources each owns, and reviewed plans.
CREATE TABLE stacks (
    project_id        TEXT        NOT NULL,
    name              TEXT        NOT NULL,
    status            TEXT        NOT NULL CHECK (status IN ('PLANNED', 'APPLYING', 'APPLIED', 'FAILED',
                                                             'DESTROYING', 'DESTROY_FAILED')),
    spec              TEXT        NOT NULL,
    variables         JSONB       NOT NULL DEFAULT '{}',
    outputs           JSONB       NOT NULL DEFAULT '{}',
    last_operation_id TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

CREATE TABLE stack_resources (
    project_id   TEXT        NOT NULL,
    stack_name   TEXT        NOT NULL,
    address      TEXT        NOT NULL,
    kind         TEXT        NOT NULL,
    resource_id  TEXT        NOT NULL,
    inputs       JSONB       NOT NULL,
    outputs      JSONB       NOT NULL,
    depends_on   JSONB       NOT NULL DEFAULT '[]',
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, stack_name, address),
    FOREIGN KEY (project_id, stack_name) REFERENCES stacks (project_id, name) ON DELETE CASCADE
);

CREATE TABLE stack_plans (
    id           TEXT        PRIMARY KEY,
    project_id   TEXT        NOT NULL,
    stack_name   TEXT        NOT NULL,
    spec         TEXT        NOT NULL,
    variables    JSONB       NOT NULL,
    fingerprint  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX stack_plans_by_stack ON stack_plans (project_id, stack_name);

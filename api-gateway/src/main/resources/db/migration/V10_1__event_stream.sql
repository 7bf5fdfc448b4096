-- The live event stream (GET /v1/events, issue 10). One consumer copies the
-- project-relevant Kafka events into this table; seq is the SSE event id:
-- durable, monotonic, shared by every gateway replica (writers serialise on an
-- advisory lock, so seq order is commit order). Old rows are pruned by age;
-- pruned_through remembers the highest seq ever pruned, so that a
-- Last-Event-ID older than that is answered with a "stream.reset" event
-- instead of silently skipping what was lost.
CREATE TABLE stream_events (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    TEXT        NOT NULL UNIQUE,
    project_id  TEXT,
    type        TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    event_time  TIMESTAMPTZ NOT NULL,
    data        JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX stream_events_project ON stream_events (project_id, seq);
CREATE INDEX stream_events_received ON stream_events (received_at);

CREATE TABLE stream_retention (
    id             INT PRIMARY KEY CHECK (id = 1),
    pruned_through BIGINT NOT NULL
);
INSERT INTO stream_retention (id, pruned_through) VALUES (1, 0);

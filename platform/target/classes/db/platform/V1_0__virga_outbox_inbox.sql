-- Transactional outbox: a service inserts its event here in the same
-- transaction as its state change; OutboxRelay publishes and deletes rows.
CREATE TABLE virga_outbox (
    seq        BIGSERIAL PRIMARY KEY,
    event_id   TEXT        NOT NULL UNIQUE,
    topic      TEXT        NOT NULL,
    msg_key    TEXT        NOT NULL,
    payload    BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Inbox: ids of events a consumer has already applied (idempotent consumers).
CREATE TABLE virga_inbox (
    consumer    TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

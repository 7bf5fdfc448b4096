-- Additive follow-up of V3 (INSTANCES part of api-gateway).

-- user_data is at most 65535 bytes of base64 (what compute nodes accept).
ALTER TABLE instances DROP CONSTRAINT instances_user_data_check;
ALTER TABLE instances ADD CONSTRAINT instances_user_data_check
    CHECK (user_data IS NULL OR length(user_data) <= 65535);

-- Guests that may still exist on a host although no instance should be there:
-- a destroy that could not be confirmed (host unreachable), or a host reporting
-- a guest of a deleted instance or of an instance placed elsewhere. The reaper
-- destroys them (idempotently) until the host confirms.
CREATE TABLE orphan_guests (
    instance_id TEXT        NOT NULL,
    host_id     TEXT        NOT NULL,
    endpoint    TEXT,
    reason      TEXT        NOT NULL,
    attempts    INT         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_try_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    found_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, host_id)
);
CREATE INDEX orphan_guests_due ON orphan_guests (next_try_at);

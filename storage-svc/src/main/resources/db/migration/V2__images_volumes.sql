-- storage-svc: images and volumes. The constraints below are the last line of
-- defence: the service validates first, but the database itself refuses bad
-- states (unknown statuses, sizes out of range, ACTIVE images without data,
-- attached volumes without an owner, volumes pointing at deleted images).

CREATE TABLE images (
    id          TEXT        PRIMARY KEY,
    project_id  TEXT        NOT NULL,
    name        TEXT        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 128),
    disk_format TEXT        NOT NULL CHECK (disk_format IN ('qcow2', 'raw', 'oci')),
    status      TEXT        NOT NULL CHECK (status IN ('QUEUED', 'ACTIVE')),
    size_bytes  BIGINT      CHECK (size_bytes >= 0),
    sha256      TEXT        CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    min_disk_gb INTEGER     NOT NULL CHECK (min_disk_gb BETWEEN 0 AND 16384),
    visibility  TEXT        NOT NULL CHECK (visibility IN ('private', 'public')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- QUEUED has no data; ACTIVE always has its size and checksum.
    CONSTRAINT images_data_matches_status CHECK (
        (status = 'QUEUED' AND size_bytes IS NULL AND sha256 IS NULL)
        OR (status = 'ACTIVE' AND size_bytes IS NOT NULL AND sha256 IS NOT NULL))
);
CREATE INDEX images_project_idx ON images (project_id, created_at);
CREATE INDEX images_public_idx ON images (created_at) WHERE visibility = 'public';

CREATE TABLE volumes (
    id                    TEXT        PRIMARY KEY,
    project_id            TEXT        NOT NULL,
    name                  TEXT        NOT NULL CHECK (char_length(name) <= 128),
    size_gb               INTEGER     NOT NULL CHECK (size_gb BETWEEN 1 AND 16384),
    -- RESTRICT: an image cannot disappear under a volume made from it.
    image_id              TEXT        REFERENCES images (id) ON DELETE RESTRICT,
    status                TEXT        NOT NULL
                          CHECK (status IN ('CREATING', 'AVAILABLE', 'IN_USE', 'DELETING', 'ERROR')),
    owner_id              TEXT,
    delete_on_termination BOOLEAN     NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- IN_USE means attached to an owner; AVAILABLE means attached to nobody.
    CONSTRAINT volumes_in_use_has_owner CHECK (status <> 'IN_USE' OR owner_id IS NOT NULL),
    CONSTRAINT volumes_available_has_no_owner CHECK (status <> 'AVAILABLE' OR owner_id IS NULL)
);
CREATE INDEX volumes_project_idx ON volumes (project_id, created_at);
CREATE INDEX volumes_owner_idx ON volumes (project_id, owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX volumes_image_idx ON volumes (image_id) WHERE image_id IS NOT NULL;

-- Idempotency keys of CreateVolume. Kept after the volume is deleted, so that
-- a late retry of a create that was already compensated cannot resurrect it.
CREATE TABLE volume_requests (
    project_id  TEXT        NOT NULL,
    request_id  TEXT        NOT NULL CHECK (char_length(request_id) BETWEEN 1 AND 128),
    volume_id   TEXT        NOT NULL,
    fingerprint TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, request_id)
);

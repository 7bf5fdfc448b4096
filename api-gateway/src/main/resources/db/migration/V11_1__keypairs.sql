-- SSH public keys per project (issue 10, keypairs). Owned by the keypair package of api-gateway.
CREATE TABLE keypairs (
    project_id  TEXT        NOT NULL REFERENCES projects (id),
    name        TEXT        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    type        TEXT        NOT NULL CHECK (type IN ('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256',
                                'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521')),
    public_key  TEXT        NOT NULL CHECK (length(public_key) BETWEEN 1 AND 16384),
    fingerprint TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

-- The key an instance was created with: a snapshot (deleting the key pair later does not change it).
CREATE TABLE instance_keys (
    instance_id TEXT NOT NULL PRIMARY KEY REFERENCES instances (id),
    key_name    TEXT NOT NULL,
    public_key  TEXT NOT NULL
);

package io.virga.gateway.keypair;

import java.time.Instant;

/** An SSH public key of a project, known by its name inside the project. */
public record Keypair(String projectId, String name, String type, String publicKey, String fingerprint,
                      Instant createdAt) {
}

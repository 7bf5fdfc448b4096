package io.virga.gateway.project;

import java.time.Instant;

/** A tenant. The single {@code system} project holds the cloud administrators. */
public record Project(String id, String name, boolean system, Instant createdAt) {
}

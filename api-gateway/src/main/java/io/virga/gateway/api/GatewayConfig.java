package io.virga.gateway.api;

import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The gateway's own settings ({@code virga.gateway.*}). */
@Singleton
public class GatewayConfig {
    private final Path adminTokenFile;
    private final Duration grpcDeadline;
    private final Duration idempotencyTtl;

    public GatewayConfig(
            @ConfigProperty(name = "virga.gateway.admin-token-file", defaultValue = ".virga/admin-token") String file,
            @ConfigProperty(name = "virga.gateway.grpc-deadline", defaultValue = "PT10S") Duration grpcDeadline,
            @ConfigProperty(name = "virga.gateway.idempotency.ttl", defaultValue = "PT24H") Duration ttl) {
        this.adminTokenFile = Path.of(file);
        this.grpcDeadline = grpcDeadline;
        this.idempotencyTtl = ttl;
    }

    /** Where the bootstrap cloud-admin token is kept (mode 600). */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /** Deadline of one call to another service. */
    public Duration grpcDeadline() {
        return grpcDeadline;
    }

    /** How long an Idempotency-Key's first answer is replayed. */
    public Duration idempotencyTtl() {
        return idempotencyTtl;
    }
}

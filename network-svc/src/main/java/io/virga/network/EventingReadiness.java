package io.virga.network;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the outbox relay to Kafka runs (the datasource has its own check). */
@Readiness
@ApplicationScoped
public class EventingReadiness implements HealthCheck {
    private final NetworkEventing eventing;

    public EventingReadiness(NetworkEventing eventing) {
        this.eventing = eventing;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("network-eventing").status(eventing.started()).build();
    }
}

package io.virga.gateway.health;

import io.virga.gateway.events.GatewayEventing;
import io.virga.platform.kafka.ConsumerHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while every event consumer polls; one restarting after a failure makes the gateway not ready. */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {
    private final GatewayEventing eventing;

    public ConsumersReadiness(GatewayEventing eventing) {
        this.eventing = eventing;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("event-consumers").up();
        for (ConsumerHealth h : eventing.eventing().consumers()) {
            r.withData(h.name(), h.describe());
            if (!h.up()) {
                r.down();
            }
        }
        return r.build();
    }
}

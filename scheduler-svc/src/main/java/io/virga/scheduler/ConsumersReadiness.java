package io.virga.scheduler;

import io.virga.platform.kafka.ConsumerHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while every event consumer polls; one restarting after a failure makes the scheduler not ready. */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {
    private final Eventing eventing;

    public ConsumersReadiness(Eventing eventing) {
        this.eventing = eventing;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("event-consumers").up();
        for (ConsumerHealth h : eventing.get().consumers()) {
            r.withData(h.name(), h.describe());
            if (!h.up()) {
                r.down();
            }
        }
        return r.build();
    }
}

package io.virga.compute.health;

import io.virga.compute.events.EventSender;
import io.virga.compute.events.NodeEvents;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the Kafka producer delivers: down from the first failed send until one succeeds again. */
@Readiness
@Singleton
public class KafkaHealthCheck implements HealthCheck {
    private final NodeEvents events;

    public KafkaHealthCheck(NodeEvents events) {
        this.events = events;
    }

    @Override
    public HealthCheckResponse call() {
        EventSender.Health h = events.health();
        var response = HealthCheckResponse.named("kafka-producer")
                .withData("queued", h.queued())
                .withData("sent", h.sent());
        if (h.ok()) {
            return response.up().build();
        }
        return response.withData("failing_since", String.valueOf(h.failingSince()))
                .withData("error", String.valueOf(h.lastError()))
                .down().build();
    }
}

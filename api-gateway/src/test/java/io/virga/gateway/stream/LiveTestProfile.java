package io.virga.gateway.stream;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.List;
import java.util.Map;

/** The gateway on real PostgreSQL and Kafka, with a short heartbeat and a small client buffer. */
public class LiveTestProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("virga.gateway.events.heartbeat", "300ms",
                "virga.gateway.events.client-buffer", "64",
                "virga.gateway.events.wait-recheck", "5s",
                "virga.gateway.admin-token-file", "target/live-test/admin-token");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(InfraTestResource.class, Map.of("database", "virga_gateway")),
                new TestResourceEntry(FakeServicesResource.class));
    }
}

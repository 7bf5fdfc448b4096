package io.virga.gateway.instance.fakes;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.virga.devstack.testing.InfraTestResource;
import java.util.List;
import java.util.Map;

/**
 * The gateway with real PostgreSQL (database virga_gateway) and Kafka, fake
 * network/storage/scheduler/compute services, and sagas tuned for tests
 * (short spawn timeout, short backoff).
 */
public class InstancesTestProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "virga.saga.spawn-timeout", "3s",
                "virga.saga.retry-backoff", "100ms",
                "virga.saga.max-backoff", "500ms",
                "virga.saga.max-attempts", "3",
                "virga.saga.poll-interval", "50ms",
                "virga.saga.orphan-interval", "200ms",
                "virga.gateway.admin-token-file", "target/instances-test/admin-token");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(InfraTestResource.class, Map.of("database", "virga_gateway")),
                new TestResourceEntry(FakePortsResource.class));
    }
}

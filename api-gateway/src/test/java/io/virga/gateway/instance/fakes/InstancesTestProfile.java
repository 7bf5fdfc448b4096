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
        return Map.ofEntries(
                Map.entry("virga.instance.spawn-timeout", "3s"),
                Map.entry("virga.instance.action-timeout", "3s"),
                Map.entry("virga.instance.destroy-attempts", "3"),
                Map.entry("virga.workflow.retry-backoff", "100ms"),
                Map.entry("virga.workflow.max-backoff", "500ms"),
                Map.entry("virga.workflow.max-attempts", "3"),
                Map.entry("virga.workflow.outage-budget", "5s"),
                Map.entry("virga.workflow.outage-retry-max", "300ms"),
                Map.entry("virga.workflow.poll-interval", "1s"),
                Map.entry("virga.instance.orphan-interval", "200ms"),
                Map.entry(
                "virga.gateway.admin-token-file", "target/instances-test/admin-token"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(InfraTestResource.class, Map.of("database", "virga_gateway")),
                new TestResourceEntry(FakePortsResource.class));
    }
}

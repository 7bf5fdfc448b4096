package io.virga.gateway.limit;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.virga.devstack.testing.InfraTestResource;
import java.util.List;
import java.util.Map;

/** The gateway with a low per-token rate limit: burst 10, then one request every 10 s. */
public class RateLimitTestProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("virga.gateway.rate-limit.per-second", "0.1", "virga.gateway.rate-limit.burst", "10",
                "virga.gateway.admin-token-file", "target/ratelimit-test/admin-token");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(InfraTestResource.class, Map.of("database", "virga_gateway")));
    }
}

package io.virga.gateway.saga;

import io.virga.gateway.instance.fakes.InstancesTestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link InstancesTestProfile} with a short saga lease ({@link #LEASE},
 * renewed every third of it) and stallable service clients
 * ({@link DelayingServiceClients}).
 */
public class SagaLeaseTestProfile extends InstancesTestProfile {
    static final Duration LEASE = Duration.ofSeconds(2);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("virga.saga.lease", LEASE.toMillis() + "ms");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(DelayingServiceClients.class);
    }
}

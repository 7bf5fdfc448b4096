package io.virga.gateway.workflow;

import io.virga.gateway.instance.fakes.InstancesTestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link InstancesTestProfile} with a short saga lease ({@link #LEASE},
 * renewed every third of it), a short shutdown grace ({@link #SHUTDOWN_GRACE})
 * and stallable service clients
 * ({@link DelayingServiceClients}).
 */
public class WorkflowLeaseTestProfile extends InstancesTestProfile {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("virga.workflow.lease", LEASE.toMillis() + "ms");
        config.put("virga.workflow.shutdown-grace", SHUTDOWN_GRACE.toMillis() + "ms");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(DelayingServiceClients.class);
    }
}

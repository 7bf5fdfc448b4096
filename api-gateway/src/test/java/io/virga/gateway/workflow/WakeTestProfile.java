package io.virga.gateway.workflow;

import io.virga.gateway.instance.fakes.InstancesTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link InstancesTestProfile} with a 30 s poll interval: anything that
 * finishes faster was woken (in process, or by NOTIFY), not polled.
 */
public class WakeTestProfile extends InstancesTestProfile {
    static final String POLL = "30s";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("virga.workflow.poll-interval", POLL);
        return config;
    }
}

package io.virga.gateway.instance;

import java.util.Map;

/** Small shared steps of the action tests. */
final class InstanceActionsTestSupport {
    private InstanceActionsTestSupport() {
    }

    /** Stops the instance (forced) and waits until it is STOPPED without a task. */
    static void stop(TestCloud.Tenant tenant, String id) {
        tenant.post("/v1/instances/" + id + "/actions", Map.of("action", "stop", "grace_seconds", 0)).then()
                .statusCode(202);
        tenant.await("/v1/instances/" + id, r -> "STOPPED".equals(r.path("status")) && r.path("task") == null);
    }
}

package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;

/** Test access to the spawn request SpawnStep builds for an instance. */
public final class SpawnStepAccess {
    private SpawnStepAccess() {
    }

    /** The user data of the spawn request for {@code i} (a plain create: no ports, no volumes). */
    public static String userData(Instance i) {
        return SpawnStep.request(i, new CreateData()).getUserData();
    }
}

package io.virga.hypervisor;

import java.time.Instant;
import java.util.Objects;

/**
 * What a driver knows of one guest at one moment.
 *
 * @param instanceId the guest's instance id (as in its {@link GuestSpec})
 * @param state      its power state
 * @param vcpus      virtual CPUs it holds
 * @param ramMb      memory it holds, MiB
 * @param startedAt  when it last booted (spawn, start or reboot); {@code null} only while it has never
 *                   booted ({@link PowerState#BUILDING})
 */
public record GuestStatus(String instanceId, PowerState state, int vcpus, long ramMb, Instant startedAt) {
    public GuestStatus {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
        if (startedAt == null && state != PowerState.BUILDING) {
            throw new IllegalArgumentException("startedAt is required once a guest has booted (state " + state + ")");
        }
    }

    /** The same guest in another state, booted at {@code bootedAt}. */
    public GuestStatus with(PowerState newState, Instant bootedAt) {
        return new GuestStatus(instanceId, newState, vcpus, ramMb, bootedAt);
    }
}

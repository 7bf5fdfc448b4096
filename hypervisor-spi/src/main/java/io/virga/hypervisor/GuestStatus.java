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
 * @param detail     what the driver knows of how it got into this state, for people (e.g. a container's
 *                   {@code the process exited with code 3}); {@code null} when there is nothing to say
 */
public record GuestStatus(String instanceId, PowerState state, int vcpus, long ramMb, Instant startedAt,
                          String detail) {
    public GuestStatus {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
        if (startedAt == null && state != PowerState.BUILDING) {
            throw new IllegalArgumentException("startedAt is required once a guest has booted (state " + state + ")");
        }
    }

    /** A status without a detail. */
    public GuestStatus(String instanceId, PowerState state, int vcpus, long ramMb, Instant startedAt) {
        this(instanceId, state, vcpus, ramMb, startedAt, null);
    }

    /** The same guest in another state, booted at {@code bootedAt} (no detail). */
    public GuestStatus with(PowerState newState, Instant bootedAt) {
        return new GuestStatus(instanceId, newState, vcpus, ramMb, bootedAt);
    }
}

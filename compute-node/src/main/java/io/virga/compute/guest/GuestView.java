package io.virga.compute.guest;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.PowerState;
import java.time.Instant;

/**
 * A guest as the node shows it: the driver's status, or a build the driver does not show yet.
 *
 * @param startedAt null until the guest has booted
 */
public record GuestView(String instanceId, PowerState state, int vcpus, long ramMb, Instant startedAt) {

    static GuestView of(GuestStatus s) {
        return new GuestView(s.instanceId(), s.state(), s.vcpus(), s.ramMb(), s.startedAt());
    }

    static GuestView building(GuestSpec spec) {
        return new GuestView(spec.instanceId(), PowerState.BUILDING, spec.vcpus(), spec.ramMb(), null);
    }

    /** The event form of a driver power state (same names). */
    public static io.virga.contracts.events.v1.PowerState eventState(PowerState state) {
        return io.virga.contracts.events.v1.PowerState.valueOf(state.name());
    }
}

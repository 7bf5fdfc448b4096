package io.virga.gateway.instance;

import io.virga.contracts.events.v1.PowerState;
import java.util.Optional;

/**
 * What a compute node's power state means for an instance at rest (not being
 * built or deleted — sagas own those): the status it implies and, for bad
 * news, the fault. Whether the change is allowed is decided by
 * {@link InstanceTransitions}.
 */
public final class PowerStateMapping {
    private PowerStateMapping() {
    }

    /** The implied status, or empty for states that imply nothing by themselves (BUILDING, unknown). */
    public static Optional<InstanceStatus> statusOf(PowerState state) {
        return switch (state) {
            case RUNNING -> Optional.of(InstanceStatus.ACTIVE);
            case SHUTDOWN -> Optional.of(InstanceStatus.STOPPED);
            case PAUSED -> Optional.of(InstanceStatus.PAUSED);
            case SUSPENDED -> Optional.of(InstanceStatus.SUSPENDED);
            case CRASHED, FAILED, DELETED -> Optional.of(InstanceStatus.ERROR);
            default -> Optional.empty();
        };
    }

    /** The fault an ERROR from this state carries; null for states that are not errors. */
    public static Fault faultOf(PowerState state, String hostName, String message) {
        String suffix = message == null || message.isBlank() ? "" : ": " + message;
        return switch (state) {
            case CRASHED -> new Fault("the guest crashed on " + hostName + suffix, Fault.GUEST_CRASHED);
            case FAILED -> new Fault("the guest failed on " + hostName + suffix, Fault.GUEST_LOST);
            case DELETED -> new Fault("the guest no longer exists on " + hostName + suffix, Fault.GUEST_LOST);
            default -> null;
        };
    }
}

package io.virga.gateway.instance;

import java.util.Objects;

/**
 * Why an instance or operation failed, readable by the user.
 *
 * @param message what went wrong, e.g. "no host has 64 GiB free RAM"
 * @param code    a stable machine code, one of the constants below
 */
public record Fault(String message, String code) {
    /** The scheduler found no host that fits. */
    public static final String NO_VALID_HOST = "NoValidHost";
    /** Every host tried failed to spawn the guest (or did not answer in time). */
    public static final String SPAWN_FAILED = "SpawnFailed";
    /** A service the saga needs kept failing (unreachable, timing out). */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    /** A service refused a step (e.g. the network lost its subnet, no free address). */
    public static final String STEP_REFUSED = "StepRefused";
    /** The instance was deleted while being built. */
    public static final String CANCELLED = "Cancelled";
    /** The host reported the guest crashed. */
    public static final String GUEST_CRASHED = "GuestCrashed";
    /** The host reported the guest gone, or failed it after it ran. */
    public static final String GUEST_LOST = "GuestLost";

    public Fault {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(code, "code");
    }
}

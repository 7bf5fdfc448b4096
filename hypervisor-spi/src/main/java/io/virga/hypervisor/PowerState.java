package io.virga.hypervisor;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The power state of a guest as its hypervisor sees it.
 *
 * <p>Transitions are a declared table ({@link #next()}); a driver moves a guest
 * only along it. The table:
 *
 * <pre>
 * from       | to
 * -----------+-------------------------------------------
 * BUILDING   | RUNNING, CRASHED
 * RUNNING    | RUNNING (reboot), PAUSED, SUSPENDED, SHUTDOWN, CRASHED
 * PAUSED     | RUNNING, SUSPENDED, SHUTDOWN, CRASHED
 * SUSPENDED  | RUNNING, SHUTDOWN
 * SHUTDOWN   | RUNNING
 * CRASHED    | RUNNING, SHUTDOWN
 * </pre>
 *
 * A failed build does not move BUILDING anywhere: the driver removes the guest
 * (see {@link Hypervisor#spawn(GuestSpec)}). Removal ({@link Hypervisor#destroy(String)})
 * is allowed from every state and is not a power state.
 */
public enum PowerState {
    /** Being created; resources are already reserved for it. */
    BUILDING,
    /** Executing. */
    RUNNING,
    /** Frozen in memory (vCPUs stopped, memory kept). */
    PAUSED,
    /** Memory saved to disk, no process; resumes where it was. */
    SUSPENDED,
    /** Powered off; disks and definition kept, resources still held by the host. */
    SHUTDOWN,
    /** Stopped unexpectedly. */
    CRASHED;

    private static final Map<PowerState, Set<PowerState>> NEXT = new EnumMap<>(PowerState.class);

    static {
        NEXT.put(BUILDING, EnumSet.of(RUNNING, CRASHED));
        NEXT.put(RUNNING, EnumSet.of(RUNNING, PAUSED, SUSPENDED, SHUTDOWN, CRASHED));
        NEXT.put(PAUSED, EnumSet.of(RUNNING, SUSPENDED, SHUTDOWN, CRASHED));
        NEXT.put(SUSPENDED, EnumSet.of(RUNNING, SHUTDOWN));
        NEXT.put(SHUTDOWN, EnumSet.of(RUNNING));
        NEXT.put(CRASHED, EnumSet.of(RUNNING, SHUTDOWN));
    }

    /** The states a guest in this state may move to (unmodifiable). */
    public Set<PowerState> next() {
        return Collections.unmodifiableSet(NEXT.get(this));
    }

    /** True when the table allows {@code this → target}. */
    public boolean canBecome(PowerState target) {
        return NEXT.get(this).contains(target);
    }
}

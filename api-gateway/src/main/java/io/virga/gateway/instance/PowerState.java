package io.virga.gateway.instance;

/**
 * The power state an instance shows ({@code power_state} on the wire), derived
 * from its status and its host's liveness; never stored.
 *
 * <pre>
 *  status                                          host DOWN   power_state
 *  ACTIVE, MIGRATING, RESIZING, VERIFY_RESIZE       no          RUNNING
 *  STOPPED                                          no          SHUTDOWN
 *  PAUSED / SUSPENDED                               no          PAUSED / SUSPENDED
 *  ACTIVE, STOPPED, PAUSED, SUSPENDED, MIGRATING,   yes         UNKNOWN (its host stopped answering;
 *  RESIZING, VERIFY_RESIZE                                      the guest may or may not still run)
 *  BUILDING, REBUILDING, ERROR, DELETING, DELETED   any         NOSTATE
 * </pre>
 */
public enum PowerState {
    RUNNING, SHUTDOWN, PAUSED, SUSPENDED, UNKNOWN, NOSTATE;

    public static PowerState of(InstanceStatus status, boolean hostDown) {
        PowerState fromStatus = switch (status) {
            case ACTIVE, MIGRATING, RESIZING, VERIFY_RESIZE -> RUNNING;
            case STOPPED -> SHUTDOWN;
            case PAUSED -> PAUSED;
            case SUSPENDED -> SUSPENDED;
            default -> NOSTATE;
        };
        return fromStatus != NOSTATE && hostDown ? UNKNOWN : fromStatus;
    }
}

package io.virga.gateway.instance;

import static io.virga.gateway.instance.InstanceStatus.ACTIVE;
import static io.virga.gateway.instance.InstanceStatus.BUILDING;
import static io.virga.gateway.instance.InstanceStatus.DELETED;
import static io.virga.gateway.instance.InstanceStatus.DELETING;
import static io.virga.gateway.instance.InstanceStatus.ERROR;
import static io.virga.gateway.instance.InstanceStatus.MIGRATING;
import static io.virga.gateway.instance.InstanceStatus.PAUSED;
import static io.virga.gateway.instance.InstanceStatus.REBUILDING;
import static io.virga.gateway.instance.InstanceStatus.RESIZING;
import static io.virga.gateway.instance.InstanceStatus.STOPPED;
import static io.virga.gateway.instance.InstanceStatus.SUSPENDED;
import static io.virga.gateway.instance.InstanceStatus.VERIFY_RESIZE;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The declared lifecycle of an instance: every allowed {@code from → to}
 * status change. Anything not listed is refused by
 * {@link InstanceStateWriter}. Staying in the same status (e.g. a task change)
 * is not a transition and always allowed.
 *
 * <ul>
 *   <li>BUILDING ends ACTIVE (the guest runs) or ERROR (compensated), or is deleted.</li>
 *   <li>The resting states (ACTIVE, STOPPED, PAUSED, SUSPENDED) follow the guest's power state.</li>
 *   <li>ERROR may recover when the host reports the guest running or shut down again, or by a rebuild.</li>
 *   <li>Resize and migrate pass through RESIZING / MIGRATING to VERIFY_RESIZE, which a confirm or a
 *       revert ends; a rebuild passes through REBUILDING.</li>
 *   <li>Every state but DELETED may be deleted; DELETING only ends DELETED; DELETED is final.</li>
 * </ul>
 */
public final class InstanceTransitions {
    private static final Map<InstanceStatus, Set<InstanceStatus>> ALLOWED = new EnumMap<>(InstanceStatus.class);

    static {
        allow(BUILDING, ACTIVE, ERROR, DELETING);
        allow(ACTIVE, STOPPED, PAUSED, SUSPENDED, MIGRATING, RESIZING, REBUILDING, ERROR, DELETING);
        allow(STOPPED, ACTIVE, MIGRATING, RESIZING, REBUILDING, ERROR, DELETING);
        allow(PAUSED, ACTIVE, STOPPED, SUSPENDED, ERROR, DELETING);
        allow(SUSPENDED, ACTIVE, STOPPED, ERROR, DELETING);
        allow(MIGRATING, ACTIVE, STOPPED, VERIFY_RESIZE, ERROR, DELETING);
        allow(RESIZING, ACTIVE, STOPPED, VERIFY_RESIZE, ERROR, DELETING);
        allow(VERIFY_RESIZE, ACTIVE, STOPPED, RESIZING, MIGRATING, ERROR, DELETING);
        allow(REBUILDING, ACTIVE, STOPPED, ERROR, DELETING);
        allow(ERROR, ACTIVE, STOPPED, REBUILDING, DELETING);
        allow(DELETING, DELETED);
        allow(DELETED);
    }

    private InstanceTransitions() {
    }

    private static void allow(InstanceStatus from, InstanceStatus... to) {
        Set<InstanceStatus> targets = EnumSet.noneOf(InstanceStatus.class);
        targets.addAll(java.util.List.of(to));
        ALLOWED.put(from, Collections.unmodifiableSet(targets));
    }

    /** True when {@code from → to} is a declared transition (false for {@code from == to}). */
    public static boolean allowed(InstanceStatus from, InstanceStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The statuses reachable from {@code from} in one transition. */
    public static Set<InstanceStatus> targets(InstanceStatus from) {
        return ALLOWED.get(from);
    }
}

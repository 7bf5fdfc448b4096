package io.virga.gateway.instance.action;

import static io.virga.gateway.instance.InstanceStatus.ACTIVE;
import static io.virga.gateway.instance.InstanceStatus.ERROR;
import static io.virga.gateway.instance.InstanceStatus.PAUSED;
import static io.virga.gateway.instance.InstanceStatus.STOPPED;
import static io.virga.gateway.instance.InstanceStatus.SUSPENDED;
import static io.virga.gateway.instance.InstanceStatus.VERIFY_RESIZE;

import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.operation.OperationKind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The declared table of instance actions ({@code POST /v1/instances/{id}/actions}):
 * for each action, the statuses it is allowed from, the task the instance
 * shows while it runs, the status it ends in (null: the status it had), and
 * the host trait (driver capability) it needs. An action from any other status
 * is refused with 409 naming the current status and the allowed ones; a host
 * without the trait is refused with 409 naming the trait — both before
 * anything changes.
 *
 * <pre>
 * action          from                                   task            ends          trait
 * stop            ACTIVE PAUSED SUSPENDED ERROR          powering_off    STOPPED       COMPUTE_POWER_CONTROL
 * start           STOPPED                                powering_on     ACTIVE        COMPUTE_POWER_CONTROL
 * reboot          ACTIVE ERROR                           rebooting(_hard) ACTIVE       COMPUTE_POWER_CONTROL
 * pause           ACTIVE                                 pausing         PAUSED        COMPUTE_PAUSE
 * unpause         PAUSED                                 unpausing       ACTIVE        COMPUTE_PAUSE
 * suspend         ACTIVE PAUSED                          suspending      SUSPENDED     COMPUTE_SUSPEND
 * resume          SUSPENDED                              resuming        ACTIVE        COMPUTE_SUSPEND
 * snapshot        ACTIVE STOPPED PAUSED SUSPENDED        image_snapshot  (unchanged)   COMPUTE_SNAPSHOT
 * rebuild         ACTIVE STOPPED ERROR                   rebuilding      ACTIVE        COMPUTE_REBUILD
 * resize          ACTIVE STOPPED                         resize_migrating VERIFY_RESIZE COMPUTE_MIGRATE
 * confirm-resize  VERIFY_RESIZE                          resize_confirming (before)    -
 * revert-resize   VERIFY_RESIZE                          resize_reverting  (before)    -
 * migrate         ACTIVE STOPPED                         resize_migrating VERIFY_RESIZE COMPUTE_MIGRATE
 * live-migrate    ACTIVE                                 migrating       ACTIVE        COMPUTE_LIVE_MIGRATE
 * evacuate        ACTIVE STOPPED ERROR (host DOWN)       rebuild_spawning ACTIVE       -
 * lock / unlock   any but BUILDING DELETING DELETED      -               (unchanged)   -
 * </pre>
 */
public enum InstanceAction {
    STOP("stop", EnumSet.of(ACTIVE, PAUSED, SUSPENDED, ERROR), InstanceTask.POWERING_OFF, STOPPED,
            Traits.POWER_CONTROL, OperationKind.INSTANCE_STOP),
    START("start", EnumSet.of(STOPPED), InstanceTask.POWERING_ON, ACTIVE, Traits.POWER_CONTROL,
            OperationKind.INSTANCE_START),
    REBOOT("reboot", EnumSet.of(ACTIVE, ERROR), InstanceTask.REBOOTING, ACTIVE, Traits.POWER_CONTROL,
            OperationKind.INSTANCE_REBOOT),
    PAUSE("pause", EnumSet.of(ACTIVE), InstanceTask.PAUSING, PAUSED, Traits.PAUSE, OperationKind.INSTANCE_PAUSE),
    UNPAUSE("unpause", EnumSet.of(PAUSED), InstanceTask.UNPAUSING, ACTIVE, Traits.PAUSE,
            OperationKind.INSTANCE_UNPAUSE),
    SUSPEND("suspend", EnumSet.of(ACTIVE, PAUSED), InstanceTask.SUSPENDING, SUSPENDED, Traits.SUSPEND,
            OperationKind.INSTANCE_SUSPEND),
    RESUME("resume", EnumSet.of(SUSPENDED), InstanceTask.RESUMING, ACTIVE, Traits.SUSPEND,
            OperationKind.INSTANCE_RESUME),
    SNAPSHOT("snapshot", EnumSet.of(ACTIVE, STOPPED, PAUSED, SUSPENDED), InstanceTask.IMAGE_SNAPSHOT, null,
            Traits.SNAPSHOT, OperationKind.INSTANCE_SNAPSHOT),
    REBUILD("rebuild", EnumSet.of(ACTIVE, STOPPED, ERROR), InstanceTask.REBUILDING, ACTIVE, Traits.REBUILD,
            OperationKind.INSTANCE_REBUILD),
    RESIZE("resize", EnumSet.of(ACTIVE, STOPPED), InstanceTask.RESIZE_MIGRATING, VERIFY_RESIZE, Traits.MIGRATE,
            OperationKind.INSTANCE_RESIZE),
    CONFIRM_RESIZE("confirm-resize", EnumSet.of(VERIFY_RESIZE), InstanceTask.RESIZE_CONFIRMING, null, null,
            OperationKind.INSTANCE_CONFIRM_RESIZE),
    REVERT_RESIZE("revert-resize", EnumSet.of(VERIFY_RESIZE), InstanceTask.RESIZE_REVERTING, null, null,
            OperationKind.INSTANCE_REVERT_RESIZE),
    MIGRATE("migrate", EnumSet.of(ACTIVE, STOPPED), InstanceTask.RESIZE_MIGRATING, VERIFY_RESIZE, Traits.MIGRATE,
            OperationKind.INSTANCE_MIGRATE),
    LIVE_MIGRATE("live-migrate", EnumSet.of(ACTIVE), InstanceTask.MIGRATING, ACTIVE, Traits.LIVE_MIGRATE,
            OperationKind.INSTANCE_LIVE_MIGRATE),
    EVACUATE("evacuate", EnumSet.of(ACTIVE, STOPPED, ERROR), InstanceTask.REBUILD_SPAWNING, ACTIVE, null,
            OperationKind.INSTANCE_EVACUATE),
    LOCK("lock", EnumSet.complementOf(EnumSet.of(InstanceStatus.BUILDING, InstanceStatus.DELETING,
            InstanceStatus.DELETED)), null, null, null, OperationKind.INSTANCE_LOCK),
    UNLOCK("unlock", EnumSet.complementOf(EnumSet.of(InstanceStatus.BUILDING, InstanceStatus.DELETING,
            InstanceStatus.DELETED)), null, null, null, OperationKind.INSTANCE_UNLOCK);

    /** The host traits the actions need (what compute nodes report for their driver's capabilities). */
    public static final class Traits {
        public static final String POWER_CONTROL = "COMPUTE_POWER_CONTROL";
        public static final String PAUSE = "COMPUTE_PAUSE";
        public static final String SUSPEND = "COMPUTE_SUSPEND";
        public static final String SNAPSHOT = "COMPUTE_SNAPSHOT";
        public static final String REBUILD = "COMPUTE_REBUILD";
        public static final String MIGRATE = "COMPUTE_MIGRATE";
        public static final String LIVE_MIGRATE = "COMPUTE_LIVE_MIGRATE";

        private Traits() {
        }
    }

    private final String value;
    private final Set<InstanceStatus> from;
    private final InstanceTask task;
    private final InstanceStatus endsIn;
    private final String trait;
    private final OperationKind operation;

    InstanceAction(String value, Set<InstanceStatus> from, InstanceTask task, InstanceStatus endsIn, String trait,
                   OperationKind operation) {
        this.value = value;
        this.from = from;
        this.task = task;
        this.endsIn = endsIn;
        this.trait = trait;
        this.operation = operation;
    }

    /** The API spelling, e.g. {@code live-migrate}. */
    public String value() {
        return value;
    }

    /** The statuses the action is allowed from. */
    public Set<InstanceStatus> allowedFrom() {
        return from;
    }

    /** The task shown while it runs (null: the action is immediate). */
    public InstanceTask task() {
        return task;
    }

    /** The status it ends in; null: the status the instance had. */
    public InstanceStatus endsIn() {
        return endsIn;
    }

    /** The host trait it needs, or null. */
    public String trait() {
        return trait;
    }

    public OperationKind operation() {
        return operation;
    }

    public boolean allowedFrom(InstanceStatus status) {
        return from.contains(status);
    }

    /** The allowed statuses in declaration order, for a 409's text. */
    public List<String> allowedNames() {
        return Arrays.stream(InstanceStatus.values()).filter(from::contains).map(Enum::name).toList();
    }

    public static Optional<InstanceAction> parse(String value) {
        return Arrays.stream(values()).filter(a -> a.value.equals(value)).findFirst();
    }

    /** Every action's API name, for a 400's text. */
    public static List<String> names() {
        return Arrays.stream(values()).map(InstanceAction::value).toList();
    }
}

package io.virga.gateway.operation;

/** What an operation does; the API spelling is {@link #value()}. */
public enum OperationKind {
    INSTANCE_CREATE("instance.create"),
    INSTANCE_DELETE("instance.delete"),
    INSTANCE_UPDATE("instance.update"),
    INSTANCE_STOP("instance.stop"),
    INSTANCE_START("instance.start"),
    INSTANCE_REBOOT("instance.reboot"),
    INSTANCE_PAUSE("instance.pause"),
    INSTANCE_UNPAUSE("instance.unpause"),
    INSTANCE_SUSPEND("instance.suspend"),
    INSTANCE_RESUME("instance.resume"),
    INSTANCE_SNAPSHOT("instance.snapshot"),
    INSTANCE_REBUILD("instance.rebuild"),
    INSTANCE_RESIZE("instance.resize"),
    INSTANCE_CONFIRM_RESIZE("instance.confirm-resize"),
    INSTANCE_REVERT_RESIZE("instance.revert-resize"),
    INSTANCE_MIGRATE("instance.migrate"),
    INSTANCE_LIVE_MIGRATE("instance.live-migrate"),
    INSTANCE_EVACUATE("instance.evacuate"),
    INSTANCE_LOCK("instance.lock"),
    INSTANCE_UNLOCK("instance.unlock"),
    VOLUME_ATTACH("volume.attach"),
    VOLUME_DETACH("volume.detach"),
    VOLUME_EXTEND("volume.extend"),
    STACK_APPLY("stack.apply"),
    STACK_DESTROY("stack.destroy");

    private final String value;

    OperationKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static OperationKind fromValue(String value) {
        for (OperationKind k : values()) {
            if (k.value.equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown operation kind " + value);
    }
}

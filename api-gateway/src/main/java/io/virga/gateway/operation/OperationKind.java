package io.virga.gateway.operation;

/** What an operation does; the API spelling is {@link #value()}. */
public enum OperationKind {
    INSTANCE_CREATE("instance.create"),
    INSTANCE_DELETE("instance.delete");

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

package io.virga.gateway.saga;

/** What a saga does to its instance; {@link #value()} is the database spelling. */
public enum SagaKind {
    CREATE("create"),
    DELETE("delete");

    private final String value;

    SagaKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static SagaKind fromValue(String value) {
        for (SagaKind k : values()) {
            if (k.value.equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown saga kind " + value);
    }
}

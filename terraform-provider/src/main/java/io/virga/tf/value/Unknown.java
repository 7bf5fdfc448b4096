package io.virga.tf.value;

/**
 * A value Terraform does not know yet ("known after apply"). On the msgpack wire it is an extension
 * value of type 0; any extension read is taken as unknown.
 */
public final class Unknown {
    /** The one unknown value. */
    public static final Unknown VALUE = new Unknown();

    private Unknown() {
    }

    /** Whether {@code v} is the unknown value. */
    public static boolean is(Object v) {
        return v == VALUE;
    }

    @Override
    public String toString() {
        return "(known after apply)";
    }
}

package io.virga.hypervisor;

/**
 * A {@link GuestSpec} (or one of its parts) was given a bad value. Names the
 * field at fault, as a path in the record's own terms ({@code vcpus},
 * {@code mac}, {@code interfaces[1].portId}), so that callers can report it
 * against their own field names. The message is {@code "<field>: <reason>"}.
 */
public class InvalidGuestSpecException extends IllegalArgumentException {
    private final String field;
    private final String reason;

    public InvalidGuestSpecException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field at fault, e.g. {@code ramMb} or {@code disks[0].volumeId}. */
    public String field() {
        return field;
    }

    /** What is wrong with it, e.g. {@code must be at least 1, got 0}. */
    public String reason() {
        return reason;
    }
}

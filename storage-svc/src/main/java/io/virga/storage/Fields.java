package io.virga.storage;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import java.util.regex.Pattern;

/**
 * Field checks shared by the image and volume services. Every failure is an
 * INVALID_ARGUMENT whose description is {@code "<field>: <message>"}, so the
 * gateway can point at the field. Checks never touch state.
 */
public final class Fields {
    /** Project and owner ids are made by other services: a conservative shape, not one prefix. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Fields() {
    }

    /** A required id of a resource owned elsewhere (project, instance). */
    public static String reference(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw invalidArgument(field, "required");
        }
        if (!REFERENCE.matcher(value).matches()) {
            throw invalidArgument(field, "must be 1..64 letters, digits or . _ : - and start with a letter or digit");
        }
        return value;
    }

    /** Like {@link #reference} but empty means absent; returns null then. */
    public static String optionalReference(String field, String value) {
        return value == null || value.isEmpty() ? null : reference(field, value);
    }

    /** A required id of one of our own resources; its shape is not checked (an unknown id is NOT_FOUND). */
    public static String id(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw invalidArgument(field, "required");
        }
        if (value.length() > 64) {
            throw invalidArgument(field, "must be at most 64 characters");
        }
        return value;
    }

    /**
     * Text of {@code min..max} code points with no control characters; when
     * {@code min > 0} it must not be blank either.
     */
    public static String text(String field, String value, int min, int max) {
        String v = value == null ? "" : value;
        int length = v.codePointCount(0, v.length());
        if (length < min || length > max) {
            throw invalidArgument(field, min == max ? "must be " + min + " characters"
                    : "must be " + min + ".." + max + " characters");
        }
        if (v.codePoints().anyMatch(cp -> Character.isISOControl(cp) || !Character.isDefined(cp)
                || Character.getType(cp) == Character.SURROGATE)) {
            throw invalidArgument(field, "must contain printable characters only");
        }
        if (min > 0 && v.isBlank()) {
            throw invalidArgument(field, "must not be blank");
        }
        return v;
    }

    /** An unsigned proto field in {@code min..max} (uint32 arrives as a signed Java int). */
    public static int range(String field, int unsignedValue, int min, int max) {
        long v = Integer.toUnsignedLong(unsignedValue);
        if (v < min || v > max) {
            throw invalidArgument(field, "must be between " + min + " and " + max);
        }
        return (int) v;
    }
}

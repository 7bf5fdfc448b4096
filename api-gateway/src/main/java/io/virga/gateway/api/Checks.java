package io.virga.gateway.api;

import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects validation errors of one request and throws them all at once:
 * <pre>{@code
 * Checks c = new Checks();
 * c.name("name", body.name());
 * c.range("vcpus", body.vcpus(), 1, 256);
 * c.done();   // 400 with every FieldError, or nothing
 * }</pre>
 */
public final class Checks {
    /** Resource names: 1..63 characters, letters, digits, '.', '_', '-', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final List<FieldError> errors = new ArrayList<>();

    /** Throws 400 if the body itself is missing. */
    public static <T> T body(T body) {
        if (body == null) {
            throw ApiException.malformed("a JSON request body is required");
        }
        return body;
    }

    public Checks fail(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /** Required; false (with an error) when null. */
    public boolean required(String field, Object value) {
        if (value == null) {
            fail(field, "is required");
            return false;
        }
        return true;
    }

    /** Required resource name matching {@link #NAME}. */
    public Checks name(String field, String value) {
        if (required(field, value) && !NAME.matcher(value).matches()) {
            fail(field, "must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return this;
    }

    /** Optional name: null is fine, otherwise as {@link #name}. */
    public Checks optionalName(String field, String value) {
        if (value != null) {
            name(field, value);
        }
        return this;
    }

    /** Required number within [min, max]. */
    public Checks range(String field, Number value, long min, long max) {
        if (required(field, value) && (value.longValue() < min || value.longValue() > max)) {
            fail(field, "must be between " + min + " and " + max);
        }
        return this;
    }

    /** Optional number within [min, max]. */
    public Checks optionalRange(String field, Number value, long min, long max) {
        if (value != null) {
            range(field, value, min, max);
        }
        return this;
    }

    /** Optional value that must be one of {@code allowed}. */
    public Checks oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            fail(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return this;
    }

    /** Optional string no longer than max characters and not blank. */
    public Checks text(String field, String value, int max) {
        if (value != null && (value.isBlank() || value.length() > max)) {
            fail(field, "must be 1-" + max + " characters");
        }
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Throws a 400 problem with every error collected; returns when there are none. */
    public void done() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }
}

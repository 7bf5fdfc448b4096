package io.virga.gateway.stack;

import io.virga.gateway.error.ApiException;
import java.util.List;
import java.util.Map;

/** A spec with faults: every {@link SpecError} at once, answered as 422 problem+json. */
public final class SpecInvalid extends RuntimeException {
    private final List<SpecError> errors;

    public SpecInvalid(List<SpecError> errors) {
        super(errors.isEmpty() ? "invalid spec" : summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<SpecError> errors() {
        return errors;
    }

    private static String summary(List<SpecError> errors) {
        SpecError e = errors.get(0);
        return "line " + e.line() + ", " + e.path() + ": " + e.message()
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }

    /**
     * The 422 problem: {@code errors: [{field, message}]} as every problem has (field = the path) plus
     * {@code spec_errors: [{line, path, message}]}.
     */
    public ApiException problem() {
        List<io.virga.gateway.error.FieldError> fields = errors.stream()
                .map(e -> new io.virga.gateway.error.FieldError(e.path(), "line " + e.line() + ": " + e.message()))
                .toList();
        List<Map<String, Object>> located = errors.stream()
                .map(e -> Map.<String, Object>of("line", e.line(), "path", e.path(), "message", e.message()))
                .toList();
        return new ApiException(422, ApiException.TYPE_BASE + "invalid-spec", "Invalid stack spec", getMessage(),
                fields, Map.of("spec_errors", located));
    }
}

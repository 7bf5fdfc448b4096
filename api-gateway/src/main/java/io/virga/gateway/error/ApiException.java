package io.virga.gateway.error;

import java.util.List;

/**
 * A failure with an HTTP status, thrown anywhere in a request and mapped to an
 * {@code application/problem+json} answer (RFC 9457) by {@link ProblemMappers}.
 */
public class ApiException extends RuntimeException {
    public static final String TYPE_BASE = "https://virga.dev/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final java.util.Map<String, Object> extensions;

    public ApiException(int status, String type, String title, String detail, List<FieldError> errors) {
        this(status, type, title, detail, errors, java.util.Map.of());
    }

    public ApiException(int status, String type, String title, String detail, List<FieldError> errors,
                        java.util.Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? java.util.Map.of() : java.util.Map.copyOf(extensions);
    }

    /** Extension members of the problem body (snake_case keys). */
    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    /** 409 "busy": a mutating request on a resource another operation is working on. */
    public static ApiException busy(String detail, String runningOperationId) {
        return new ApiException(409, TYPE_BASE + "resource-busy", "Resource busy", detail, List.of(),
                runningOperationId == null ? java.util.Map.of() : java.util.Map.of("operation_id", runningOperationId));
    }

    /** 409 for a state transition that is not allowed, with the current state and the allowed ones. */
    public static ApiException invalidState(String detail, String current, List<String> allowed) {
        return new ApiException(409, TYPE_BASE + "invalid-state", "Conflict", detail, List.of(),
                java.util.Map.of("current_status", current, "allowed_statuses", allowed));
    }

    /** 412: If-Match did not match the resource's current ETag (a lost update). */
    public static ApiException preconditionFailed(String detail) {
        return new ApiException(412, TYPE_BASE + "precondition-failed", "Precondition failed", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** 400 for one invalid field. */
    public static ApiException badRequest(String field, String message) {
        return validation(List.of(new FieldError(field, message)));
    }

    /** 400 for invalid fields (at least one). */
    public static ApiException validation(List<FieldError> errors) {
        String detail = errors.isEmpty() ? "invalid request"
                : errors.get(0).field() + ": " + errors.get(0).message()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return new ApiException(400, TYPE_BASE + "validation", "Invalid request", detail, errors);
    }

    /** 400 for a request that is malformed as a whole (no single field at fault). */
    public static ApiException malformed(String detail) {
        return new ApiException(400, TYPE_BASE + "malformed-request", "Malformed request", detail, List.of());
    }

    /** 401: no or unknown bearer token. */
    public static ApiException unauthorized(String detail) {
        return new ApiException(401, TYPE_BASE + "unauthorized", "Unauthorized", detail, List.of());
    }

    /** 403: the caller's role does not allow this. */
    public static ApiException forbidden(String detail) {
        return new ApiException(403, TYPE_BASE + "forbidden", "Forbidden", detail, List.of());
    }

    /** 403 with type quota-exceeded. */
    public static ApiException quotaExceeded(String detail) {
        return new ApiException(403, TYPE_BASE + "quota-exceeded", "Quota exceeded", detail, List.of());
    }

    /** 404 "&lt;what&gt; &lt;id&gt; not found". */
    public static ApiException notFound(String what, String id) {
        return new ApiException(404, TYPE_BASE + "not-found", "Not found", what + " " + id + " not found", List.of());
    }

    /** 404 with a free detail (e.g. unknown path). */
    public static ApiException notFound(String detail) {
        return new ApiException(404, TYPE_BASE + "not-found", "Not found", detail, List.of());
    }

    /** 409: the request conflicts with the current state. */
    public static ApiException conflict(String detail) {
        return new ApiException(409, TYPE_BASE + "conflict", "Conflict", detail, List.of());
    }

    /** 422: Idempotency-Key reused with a different request. */
    public static ApiException idempotencyMismatch(String detail) {
        return new ApiException(422, TYPE_BASE + "idempotency-key-mismatch", "Idempotency key reused", detail,
                List.of());
    }

    /** 503: a dependency is unreachable or too slow. */
    public static ApiException unavailable(String detail) {
        return new ApiException(503, TYPE_BASE + "unavailable", "Service unavailable", detail, List.of());
    }
}

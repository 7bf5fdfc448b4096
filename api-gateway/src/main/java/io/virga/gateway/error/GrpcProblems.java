package io.virga.gateway.error;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.platform.grpc.FieldViolations;
import io.virga.platform.grpc.GrpcErrors;
import java.util.List;

/**
 * Maps a gRPC failure from another service to an {@link ApiException}:
 * INVALID_ARGUMENT → 400 naming each field of its {@code google.rpc.BadRequest} details (or, from a peer
 * that sends none, the field of a "field: msg" description), NOT_FOUND → 404,
 * FAILED_PRECONDITION / ALREADY_EXISTS / RESOURCE_EXHAUSTED → 409 (but RESOURCE_EXHAUSTED
 * "quota exceeded…" → 403 quota-exceeded, as the gateway's own quotas answer),
 * UNAVAILABLE / DEADLINE_EXCEEDED → 503, PERMISSION_DENIED → 403, anything else → 502.
 */
public final class GrpcProblems {
    /** How a service's quota refusal begins (storage-svc, network-svc). */
    static final String QUOTA_EXCEEDED = "quota exceeded";

    private GrpcProblems() {
    }

    /** Runs a call to another service, turning its gRPC failure into the matching ApiException. */
    public static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw from(e);
        }
    }

    public static ApiException from(StatusRuntimeException e) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> invalid(e, description);
            case NOT_FOUND -> ApiException.notFound(description);
            case RESOURCE_EXHAUSTED -> description.startsWith(QUOTA_EXCEEDED) ? ApiException.quotaExceeded(description)
                    : ApiException.conflict(description);
            case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> ApiException.conflict(description);
            case UNAVAILABLE, DEADLINE_EXCEEDED -> ApiException.unavailable("dependency unavailable: " + description);
            case PERMISSION_DENIED, UNAUTHENTICATED -> ApiException.forbidden(description);
            default -> new ApiException(502, ApiException.TYPE_BASE + "bad-gateway", "Bad gateway",
                    "a dependency failed: " + status.getCode() + " " + description, List.of());
        };
    }

    private static ApiException invalid(StatusRuntimeException e, String description) {
        List<GrpcErrors.Violation> violations = FieldViolations.of(e);
        if (!violations.isEmpty()) {
            return ApiException.validation(violations.stream()
                    .map(v -> new FieldError(v.field(), v.message())).toList());
        }
        int colon = description.indexOf(": ");
        if (colon > 0 && !description.substring(0, colon).contains(" ")) {
            return ApiException.badRequest(description.substring(0, colon), description.substring(colon + 2));
        }
        return ApiException.badRequest("request", description);
    }
}

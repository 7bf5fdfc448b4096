package io.virga.gateway.saga;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Classifies a failed call to another service. */
public final class SagaFailures {
    private SagaFailures() {
    }

    /**
     * True when trying again later may succeed: the service was unreachable,
     * too slow, or failed internally. False when it refused the request
     * (invalid, not found, precondition, exhausted…): trying again would get the same answer.
     */
    public static boolean isTransient(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, INTERNAL, UNKNOWN, CANCELLED -> true;
            default -> false;
        };
    }

    /** "UNAVAILABLE: io exception" — code and the service's description. */
    public static String describe(StatusRuntimeException e) {
        Status s = e.getStatus();
        return s.getDescription() == null || s.getDescription().isBlank()
                ? s.getCode().name() : s.getCode() + ": " + s.getDescription();
    }
}

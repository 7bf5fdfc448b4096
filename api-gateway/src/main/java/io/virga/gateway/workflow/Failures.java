package io.virga.gateway.workflow;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Classifies a failed call to another service, which decides how the runner retries it. */
public final class Failures {
    /** How a failure is retried. */
    public enum Kind {
        /** The service could not be reached or answered too late: retried for a time budget. */
        OUTAGE,
        /** The service failed internally: retried a few times. */
        ERROR,
        /** The service refused the request: trying again would get the same answer. */
        REFUSED
    }

    private Failures() {
    }

    public static Kind classify(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> Kind.OUTAGE;
            case ABORTED, INTERNAL, UNKNOWN, CANCELLED, RESOURCE_EXHAUSTED -> Kind.ERROR;
            default -> Kind.REFUSED;
        };
    }

    /** True when trying again later may succeed (an outage or an internal error). */
    public static boolean isTransient(Status.Code code) {
        return classify(code) != Kind.REFUSED;
    }

    /** "UNAVAILABLE: io exception" — code and the service's description. */
    public static String describe(StatusRuntimeException e) {
        Status s = e.getStatus();
        return s.getDescription() == null || s.getDescription().isBlank()
                ? s.getCode().name() : s.getCode() + ": " + s.getDescription();
    }
}

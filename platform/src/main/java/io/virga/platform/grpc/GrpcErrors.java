package io.virga.platform.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** gRPC errors with readable descriptions, as services should raise them. */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    public static StatusRuntimeException invalidArgument(String field, String message) {
        return Status.INVALID_ARGUMENT.withDescription(field + ": " + message).asRuntimeException();
    }

    public static StatusRuntimeException notFound(String what, String id) {
        return Status.NOT_FOUND.withDescription(what + " " + id + " not found").asRuntimeException();
    }

    public static StatusRuntimeException failedPrecondition(String message) {
        return Status.FAILED_PRECONDITION.withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException alreadyExists(String message) {
        return Status.ALREADY_EXISTS.withDescription(message).asRuntimeException();
    }

    public static StatusRuntimeException exhausted(String message) {
        return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException();
    }
}

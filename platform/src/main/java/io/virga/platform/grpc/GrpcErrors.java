package io.virga.platform.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/**
 * gRPC errors with readable descriptions, as services should raise them. Validation errors
 * ({@link #invalidArgument}, {@link #invalid}) carry a {@code google.rpc.BadRequest} detail with one
 * field violation per bad field, so a caller reads the fields without parsing text
 * ({@link FieldViolations#of}); the description stays "field: message" for logs and older callers.
 */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    /** One bad field: the {@code field} (a JSON path such as {@code networks[0].network}) and why. */
    public record Violation(String field, String message) {
    }

    public static StatusRuntimeException invalidArgument(String field, String message) {
        return invalid(List.of(new Violation(field, message)));
    }

    /** INVALID_ARGUMENT naming every bad field; {@code violations} must not be empty. */
    public static StatusRuntimeException invalid(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid-argument error names at least one field");
        }
        BadRequest.Builder detail = BadRequest.newBuilder();
        StringBuilder description = new StringBuilder();
        for (Violation v : violations) {
            detail.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                    .setField(v.field()).setDescription(v.message()));
            if (description.length() > 0) {
                description.append("; ");
            }
            description.append(v.field()).append(": ").append(v.message());
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(description.toString())
                .addDetails(Any.pack(detail.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
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

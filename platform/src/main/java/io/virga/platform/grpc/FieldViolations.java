package io.virga.platform.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the field violations of a gRPC failure: the {@code google.rpc.BadRequest} details that
 * {@link GrpcErrors#invalid} attaches. A failure without them (another kind, or a peer that only
 * sends a description) answers an empty list, and the caller falls back to the description.
 */
public final class FieldViolations {
    private FieldViolations() {
    }

    public static List<GrpcErrors.Violation> of(Throwable failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status == null) {
            return List.of();
        }
        List<GrpcErrors.Violation> out = new ArrayList<>();
        for (Any detail : status.getDetailsList()) {
            if (!detail.is(BadRequest.class)) {
                continue;
            }
            try {
                for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
                    out.add(new GrpcErrors.Violation(v.getField(), v.getDescription()));
                }
            } catch (InvalidProtocolBufferException e) {
                return List.of(); // a garbled detail: the description still says what was wrong
            }
        }
        return List.copyOf(out);
    }
}

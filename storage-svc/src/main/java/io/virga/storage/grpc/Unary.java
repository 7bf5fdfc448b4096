package io.virga.storage.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Answers a unary call: the value, the service's status error as is, or INTERNAL for a bug or outage. */
final class Unary {
    private static final Logger LOG = Logger.getLogger(Unary.class);

    private Unary() {
    }

    static <T> void answer(StreamObserver<T> response, String method, Supplier<T> work) {
        T value;
        try {
            value = work.get();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed", method);
            response.onError(internal(method, e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    static StatusRuntimeException internal(String method, Throwable e) {
        return Status.INTERNAL.withDescription(method + " failed: " + e.getClass().getSimpleName())
                .withCause(e).asRuntimeException();
    }
}

package io.virga.storage.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** storage-svc's unary answers: the platform's {@link io.virga.platform.grpc.Unary} contract. */
final class Unary {
    private Unary() {
    }

    static <T> void answer(StreamObserver<T> response, String method, Supplier<T> work) {
        io.virga.platform.grpc.Unary.answer(response, method, work);
    }

    static StatusRuntimeException internal(String method, Throwable e) {
        return io.virga.platform.grpc.Unary.failure(method, e);
    }
}

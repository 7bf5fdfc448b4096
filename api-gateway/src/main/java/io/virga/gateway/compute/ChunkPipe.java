package io.virga.gateway.compute;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.virga.contracts.compute.v1.DataChunk;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Pipes a server stream of {@link DataChunk}s (a node's Snapshot or
 * ExportDisk) into a client-streaming call (storage's UploadImageData, a
 * node's ImportDisk), honouring the receiving call's flow control, so that a
 * couple of chunks at most are in memory whatever the disk's size.
 *
 * <p>Failures: a failing source cancels the receiving call (which then keeps
 * nothing, by both contracts) and its {@link StatusRuntimeException} is
 * rethrown; a failing receiver ends the pipe with its status. Nothing is
 * retried here: the workflow step that pipes is idempotent and runs again.
 */
public final class ChunkPipe {
    private ChunkPipe() {
    }

    /**
     * @param source  the chunks, e.g. a blocking stub's server-stream iterator
     * @param map     one source chunk to one request message (the first chunk may carry more, e.g. ids)
     * @param start   starts the receiving call with the given answer observer
     * @param timeout how long to wait for the receiver's answer once everything is sent
     * @return the receiver's answer
     */
    public static <Q, A> A pipe(Iterator<DataChunk> source, Function<DataChunk, Q> map,
                                Function<StreamObserver<A>, StreamObserver<Q>> start, Duration timeout) {
        Receiver<Q, A> receiver = new Receiver<>();
        start.apply(receiver);
        ClientCallStreamObserver<Q> out = receiver.requests;
        try {
            while (source.hasNext()) {
                DataChunk chunk = source.next();
                if (!receiver.awaitReady()) {
                    break; // the receiver already answered (an error)
                }
                out.onNext(map.apply(chunk));
            }
        } catch (RuntimeException e) {
            out.cancel("the source stream failed", e);
            throw e;
        }
        if (!receiver.answer.isDone()) {
            out.onCompleted();
        }
        return receiver.await(timeout);
    }

    private static final class Receiver<Q, A> implements ClientResponseObserver<Q, A> {
        final CompletableFuture<A> answer = new CompletableFuture<>();
        private final Object ready = new Object();
        ClientCallStreamObserver<Q> requests;
        private A value;

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::signal);
        }

        private void signal() {
            synchronized (ready) {
                ready.notifyAll();
            }
        }

        boolean awaitReady() {
            synchronized (ready) {
                while (!requests.isReady() && !answer.isDone()) {
                    try {
                        ready.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw Status.CANCELLED.withDescription("interrupted while streaming").asRuntimeException();
                    }
                }
            }
            return !answer.isDone();
        }

        A await(Duration timeout) {
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof StatusRuntimeException s ? s
                        : Status.fromThrowable(e.getCause()).asRuntimeException();
            } catch (TimeoutException e) {
                requests.cancel("no answer in time", null);
                throw Status.DEADLINE_EXCEEDED.withDescription("the receiver did not answer within "
                        + timeout.toSeconds() + " s").asRuntimeException();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted while waiting for the receiver")
                        .asRuntimeException();
            }
        }

        @Override
        public void onNext(A a) {
            value = a;
        }

        @Override
        public void onError(Throwable t) {
            answer.completeExceptionally(t);
            signal();
        }

        @Override
        public void onCompleted() {
            answer.complete(value);
            signal();
        }
    }
}

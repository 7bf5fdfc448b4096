package io.virga.gateway.image;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import com.google.protobuf.ByteString;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.GrpcProblems;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Streams an image body to storage-svc {@code UploadImageData} in chunks of at most 1 MiB,
 * honouring gRPC flow control: a chunk is sent only when the call is ready, so at most a
 * couple of chunks are in memory whatever the image size.
 *
 * <p>On a read failure of the client body the call is cancelled, so storage removes the
 * partial data and the image stays QUEUED (storage's contract).
 */
@ApplicationScoped
public class ImageUploader {
    public static final int CHUNK = 1024 * 1024;

    private final Channel storage;
    private final Duration deadline;
    private final MeterRegistry meters;

    public ImageUploader(@GrpcClient("storage") Channel storage,
            @ConfigProperty(name = "virga.gateway.upload-deadline", defaultValue = "PT1H") Duration deadline,
            MeterRegistry meters) {
        this.storage = storage;
        this.deadline = deadline;
        this.meters = meters;
    }

    /** Uploads {@code body} as the data of {@code imageId}; returns the image storage answers (ACTIVE). */
    public Image upload(String projectId, String imageId, InputStream body) {
        Call call = new Call();
        ClientCallStreamObserver<ImageChunk> out = (ClientCallStreamObserver<ImageChunk>) StorageServiceGrpc
                .newStub(storage).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .uploadImageData(call);
        long total = 0;
        try {
            byte[] buf = new byte[CHUNK];
            boolean first = true;
            while (true) {
                int n = body.readNBytes(buf, 0, CHUNK);
                if (n == 0 && !first) {
                    break;
                }
                ImageChunk.Builder chunk = ImageChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n));
                if (first) {
                    chunk.setProjectId(projectId).setImageId(imageId);
                    first = false;
                }
                if (!call.awaitReady(out)) {
                    break; // storage already answered (an error): stop reading
                }
                out.onNext(chunk.build());
                total += n;
                if (n < CHUNK) {
                    break;
                }
            }
        } catch (IOException e) {
            out.cancel("client body read failed", e);
            throw ApiException.malformed("the image data could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            out.cancel("upload aborted", e);
            throw e;
        }
        if (!call.result.isDone()) {
            out.onCompleted();
        }
        Image image = call.await(deadline);
        meters.counter("virga.gateway.image.upload.bytes").increment(total);
        return image;
    }

    /** Receives storage's answer and wakes the sender when the call can take more data. */
    private static final class Call implements ClientResponseObserver<ImageChunk, Image> {
        final CompletableFuture<Image> result = new CompletableFuture<>();
        private final Object ready = new Object();
        private Image value;

        @Override
        public void beforeStart(ClientCallStreamObserver<ImageChunk> requestStream) {
            requestStream.setOnReadyHandler(this::signal);
        }

        private void signal() {
            synchronized (ready) {
                ready.notifyAll();
            }
        }

        /** Waits until the transport accepts more; false when the call already ended. */
        boolean awaitReady(ClientCallStreamObserver<ImageChunk> out) {
            synchronized (ready) {
                while (!out.isReady() && !result.isDone()) {
                    try {
                        ready.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while uploading", e);
                    }
                }
            }
            return !result.isDone();
        }

        Image await(Duration deadline) {
            try {
                return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StatusRuntimeException s) {
                    throw GrpcProblems.from(s);
                }
                throw GrpcProblems.from(Status.fromThrowable(e.getCause()).asRuntimeException());
            } catch (TimeoutException e) {
                throw ApiException.unavailable("storage did not answer the upload in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiException.unavailable("interrupted while waiting for storage");
            }
        }

        @Override
        public void onNext(Image image) {
            value = image;
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
            signal();
        }

        @Override
        public void onCompleted() {
            result.complete(value);
            signal();
        }
    }
}

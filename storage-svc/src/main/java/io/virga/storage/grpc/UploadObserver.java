package io.virga.storage.grpc;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.storage.StorageMetrics.UploadOutcome;
import io.virga.storage.image.ImageService;
import io.virga.storage.image.ImageUpload;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Server side of one UploadImageData stream.
 *
 * <p>Threading and memory: gRPC callbacks arrive on the event loop; each one
 * is queued onto a serial chain that runs on {@code executor} (file and JDBC
 * work never blocks the event loop, and chunks are handled strictly in
 * order). Inbound flow control is manual: the next chunk is requested only
 * after the previous one is on disk, so an upload holds one chunk in memory
 * however fast the client sends.
 *
 * <p>Outcomes: completed stream → image ACTIVE and answered; bad first chunk,
 * oversized data, a lost race or any error → error status, temp file removed,
 * image still QUEUED; client cancel → temp file removed, nothing answered.
 */
final class UploadObserver implements StreamObserver<ImageChunk> {
    private static final Logger LOG = Logger.getLogger(UploadObserver.class);

    private final ServerCallStreamObserver<Image> response;
    private final ImageService images;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    // Touched only by tasks of the serial chain.
    private ImageUpload upload;
    private boolean finished;

    private UploadObserver(ServerCallStreamObserver<Image> response, ImageService images, Executor executor) {
        this.response = response;
        this.images = images;
        this.executor = executor;
    }

    /** Must be called inside the service method: flow control is set up before the method returns. */
    static UploadObserver start(StreamObserver<Image> responseObserver, ImageService images, Executor executor) {
        ServerCallStreamObserver<Image> response = (ServerCallStreamObserver<Image>) responseObserver;
        response.disableAutoRequest();
        // A cancel after the client half-closed may race with our answer: answering a cancelled call is a no-op.
        response.setOnCancelHandler(() -> LOG.debug("upload cancelled by the client"));
        UploadObserver observer = new UploadObserver(response, images, executor);
        response.request(1);
        return observer;
    }

    @Override
    public synchronized void onNext(ImageChunk chunk) {
        enqueue(() -> accept(chunk));
    }

    @Override
    public synchronized void onError(Throwable t) {
        enqueue(() -> {
            if (!finished) {
                finished = true;
                LOG.debugf("upload stream failed: %s", t);
                if (upload != null) {
                    images.abortUpload(upload, UploadOutcome.ABORTED);
                }
            }
        });
    }

    @Override
    public synchronized void onCompleted() {
        enqueue(this::complete);
    }

    private void enqueue(Runnable task) {
        tail = tail.thenRunAsync(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("upload step failed unexpectedly", e);
            }
        }, executor);
    }

    private void accept(ImageChunk chunk) {
        if (finished) {
            return;
        }
        try {
            if (upload == null) {
                upload = images.beginUpload(chunk.getProjectId(), chunk.getImageId());
            } else if (!chunk.getImageId().isEmpty() && !chunk.getImageId().equals(upload.imageId())
                    || !chunk.getProjectId().isEmpty() && !chunk.getProjectId().equals(upload.projectId())) {
                throw invalidArgument("image_id", "only the first chunk names the project and image");
            }
            upload.write(chunk.getData());
            response.request(1);
        } catch (StatusRuntimeException e) {
            fail(e, e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                    ? UploadOutcome.TOO_LARGE : UploadOutcome.REJECTED);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.errorf(e, "upload of %s failed", upload == null ? "?" : upload.imageId());
            fail(Unary.internal("UploadImageData", e), UploadOutcome.ABORTED);
        }
    }

    private void complete() {
        if (finished) {
            return;
        }
        finished = true;
        if (upload == null) {
            response.onError(invalidArgument("project_id", "the stream carried no chunk; "
                    + "the first chunk must name the project and the image"));
            return;
        }
        Image answer;
        try {
            io.virga.storage.image.Image done = images.finishUpload(upload);
            answer = ProtoMapper.image(done, images.location(done));
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "finishing the upload of %s failed", upload.imageId());
            response.onError(Unary.internal("UploadImageData", e));
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    private void fail(StatusRuntimeException error, UploadOutcome outcome) {
        finished = true;
        if (upload != null) {
            images.abortUpload(upload, outcome);
        }
        response.onError(error);
    }
}

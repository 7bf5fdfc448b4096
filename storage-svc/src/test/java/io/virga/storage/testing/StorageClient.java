package io.virga.storage.testing;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import io.virga.contracts.storage.v1.Volume;
import io.virga.platform.ids.Ids;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A real gRPC client of the service under test, with helpers for the usual steps. */
public final class StorageClient {
    private final Channel channel;

    public StorageClient(Channel channel) {
        this.channel = channel;
    }

    public StorageServiceGrpc.StorageServiceBlockingStub blocking() {
        return StorageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public StorageServiceGrpc.StorageServiceStub async() {
        return StorageServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** A project id no other test uses. */
    public static String newProject() {
        return Ids.newId("prj");
    }

    public Image createImage(String project, String visibility, int minDiskGb) {
        return blocking().createImage(CreateImageRequest.newBuilder().setProjectId(project).setName("img")
                .setDiskFormat("qcow2").setVisibility(visibility).setMinDiskGb(minDiskGb).build());
    }

    /** Creates an image and uploads {@code data} in one chunk: an ACTIVE image. */
    public Image activeImage(String project, String visibility, int minDiskGb, byte[] data) {
        Image image = createImage(project, visibility, minDiskGb);
        return upload(List.of(first(project, image.getId(), data)));
    }

    public static ImageChunk first(String project, String imageId, byte[] data) {
        return ImageChunk.newBuilder().setProjectId(project).setImageId(imageId).setData(ByteString.copyFrom(data))
                .build();
    }

    public static ImageChunk next(byte[] data) {
        return ImageChunk.newBuilder().setData(ByteString.copyFrom(data)).build();
    }

    /** Streams the chunks and waits for the answer; the server's error is rethrown as StatusRuntimeException. */
    public Image upload(List<ImageChunk> chunks) {
        Upload upload = startUpload();
        chunks.forEach(upload.requests::onNext);
        upload.requests.onCompleted();
        return upload.await();
    }

    public Upload startUpload() {
        CompletableFuture<Image> answer = new CompletableFuture<>();
        StreamObserver<ImageChunk> requests = async().uploadImageData(new StreamObserver<>() {
            @Override
            public void onNext(Image value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.complete(null);
            }
        });
        return new Upload(requests, answer);
    }

    /** An upload in progress: send on {@code requests}, then {@link #await}. */
    public record Upload(StreamObserver<ImageChunk> requests, CompletableFuture<Image> answer) {
        public Image await() {
            try {
                return answer.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StatusRuntimeException s) {
                    throw s;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static CreateVolumeRequest.Builder volumeRequest(String project, int sizeGb) {
        return CreateVolumeRequest.newBuilder().setProjectId(project).setName("vol").setSizeGb(sizeGb)
                .setRequestId(UUID.randomUUID().toString());
    }

    public Volume createVolume(CreateVolumeRequest.Builder request) {
        return blocking().createVolume(request.build());
    }

    /** Polls GetVolume until the volume is {@code status} (fails after 60 s, or on ERROR when not expected). */
    public Volume awaitVolume(String project, String id, String status) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (true) {
            Volume v = blocking().getVolume(io.virga.contracts.storage.v1.GetVolumeRequest.newBuilder()
                    .setProjectId(project).setId(id).build());
            if (v.getStatus().equals(status)) {
                return v;
            }
            if (v.getStatus().equals("ERROR") || System.nanoTime() > deadline) {
                throw new AssertionError("volume " + id + " is " + v.getStatus() + " (" + v.getError()
                        + "), expected " + status);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

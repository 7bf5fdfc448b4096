package io.virga.gateway.fakes;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.DeleteResponse;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.contracts.storage.v1.ListImagesResponse;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.ListVolumesResponse;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import io.virga.contracts.storage.v1.Volume;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory storage-svc: images (QUEUED until data is streamed, then ACTIVE with size and
 * sha256; the data itself is hashed, not kept) and volumes added by {@link #addVolume}.
 * Records the largest chunk each upload received.
 */
public class FakeStorageService extends StorageServiceGrpc.StorageServiceImplBase {
    final Map<String, Image> images = new ConcurrentHashMap<>();
    final Map<String, Volume> volumes = new ConcurrentHashMap<>();
    /** image id → the largest data chunk seen during its upload. */
    public final Map<String, Integer> largestChunk = new ConcurrentHashMap<>();
    /** image id → how many chunks its upload had. */
    public final Map<String, Integer> chunks = new ConcurrentHashMap<>();
    /** image id → System.nanoTime() when its first data chunk arrived. */
    public final Map<String, Long> firstChunkAt = new ConcurrentHashMap<>();
    /** Pause after each data chunk, to act as a slow disk (0: none). */
    public volatile int chunkDelayMillis;

    public Volume addVolume(String projectId, String name, int sizeGb) {
        Volume v = Volume.newBuilder().setId(Ids.newId("v")).setProjectId(projectId).setName(name).setSizeGb(sizeGb)
                .setStatus("AVAILABLE").setCreatedAt(Instant.now().toString()).build();
        volumes.put(v.getId(), v);
        return v;
    }

    @Override
    public void createImage(CreateImageRequest req, StreamObserver<Image> out) {
        Image i = Image.newBuilder().setId(Ids.newId("img")).setProjectId(req.getProjectId()).setName(req.getName())
                .setDiskFormat(req.getDiskFormat()).setStatus("QUEUED").setMinDiskGb(req.getMinDiskGb())
                .setVisibility(req.getVisibility()).setCreatedAt(Instant.now().toString())
                .putAllProperties(req.getPropertiesMap()).build();
        images.put(i.getId(), i);
        FakeNetworkService.reply(out, i);
    }

    @Override
    public StreamObserver<ImageChunk> uploadImageData(StreamObserver<Image> out) {
        return new StreamObserver<>() {
            private Image image;
            private MessageDigest digest;
            private long size;
            private boolean failed;

            @Override
            public void onNext(ImageChunk chunk) {
                if (failed) {
                    return;
                }
                if (image == null) {
                    Image i = images.get(chunk.getImageId());
                    if (i == null || !i.getProjectId().equals(chunk.getProjectId())) {
                        fail(GrpcErrors.notFound("image", chunk.getImageId()));
                        return;
                    }
                    if (!i.getStatus().equals("QUEUED")) {
                        fail(GrpcErrors.failedPrecondition("image " + i.getId() + " already has data"));
                        return;
                    }
                    image = i;
                    digest = sha256();
                }
                ByteString data = chunk.getData();
                firstChunkAt.putIfAbsent(image.getId(), System.nanoTime());
                if (chunkDelayMillis > 0) {
                    try {
                        Thread.sleep(chunkDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                digest.update(data.asReadOnlyByteBuffer());
                size += data.size();
                largestChunk.merge(image.getId(), data.size(), Math::max);
                chunks.merge(image.getId(), 1, Integer::sum);
            }

            private void fail(RuntimeException e) {
                failed = true;
                out.onError(e);
            }

            @Override
            public void onError(Throwable t) {
                // cancelled: nothing kept, image stays QUEUED
            }

            @Override
            public void onCompleted() {
                if (failed) {
                    return;
                }
                if (image == null) {
                    out.onError(GrpcErrors.invalidArgument("image_id", "is required"));
                    return;
                }
                Image done = image.toBuilder().setStatus("ACTIVE").setSizeBytes(size)
                        .setSha256(HexFormat.of().formatHex(digest.digest())).build();
                images.put(done.getId(), done);
                FakeNetworkService.reply(out, done);
            }
        };
    }

    @Override
    public void getImage(GetImageRequest req, StreamObserver<Image> out) {
        Image i = images.get(req.getId());
        if (i == null || !(i.getVisibility().equals("public") || i.getProjectId().equals(req.getProjectId()))) {
            out.onError(GrpcErrors.notFound("image", req.getId()));
            return;
        }
        FakeNetworkService.reply(out, i);
    }

    @Override
    public void listImages(ListImagesRequest req, StreamObserver<ListImagesResponse> out) {
        FakeNetworkService.reply(out, ListImagesResponse.newBuilder().addAllImages(images.values().stream()
                .filter(i -> i.getVisibility().equals("public") || i.getProjectId().equals(req.getProjectId()))
                .sorted((a, b) -> a.getId().compareTo(b.getId())).toList()).build());
    }

    @Override
    public void deleteImage(DeleteImageRequest req, StreamObserver<DeleteResponse> out) {
        Image i = images.get(req.getId());
        if (i == null || !i.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("image", req.getId()));
            return;
        }
        images.remove(i.getId());
        FakeNetworkService.reply(out, DeleteResponse.newBuilder().setDeleted(1).build());
    }

    @Override
    public void getVolume(GetVolumeRequest req, StreamObserver<Volume> out) {
        Volume v = volumes.get(req.getId());
        if (v == null || !v.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("volume", req.getId()));
            return;
        }
        FakeNetworkService.reply(out, v);
    }

    @Override
    public void listVolumes(ListVolumesRequest req, StreamObserver<ListVolumesResponse> out) {
        FakeNetworkService.reply(out, ListVolumesResponse.newBuilder().addAllVolumes(volumes.values().stream()
                .filter(v -> v.getProjectId().equals(req.getProjectId()))
                .filter(v -> req.getOwnerId().isEmpty() || v.getOwnerId().equals(req.getOwnerId()))
                .sorted((a, b) -> a.getId().compareTo(b.getId())).toList()).build());
    }

    private final Map<String, io.virga.contracts.storage.v1.VolumeQuotas> volumeQuotas =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Limits as storage-svc keeps them (defaults 10 / 1000 / 10, -1 unlimited); usage counts this fake's volumes. */
    @Override
    public void getVolumeQuotas(io.virga.contracts.storage.v1.GetVolumeQuotasRequest req,
            StreamObserver<io.virga.contracts.storage.v1.VolumeQuotas> out) {
        FakeNetworkService.reply(out, quotasOf(req.getProjectId()));
    }

    @Override
    public void setVolumeQuotas(io.virga.contracts.storage.v1.SetVolumeQuotasRequest req,
            StreamObserver<io.virga.contracts.storage.v1.VolumeQuotas> out) {
        for (long v : new long[] {req.getVolumes(), req.getGigabytes(), req.getSnapshots()}) {
            if (v < -1) {
                out.onError(GrpcErrors.invalidArgument("limit", "must be -1 or more"));
                return;
            }
        }
        io.virga.contracts.storage.v1.VolumeQuotas q = quotasOf(req.getProjectId());
        io.virga.contracts.storage.v1.VolumeQuotas.Builder b = q.toBuilder();
        if (req.hasVolumes()) {
            b.setLimitVolumes(req.getVolumes());
        }
        if (req.hasGigabytes()) {
            b.setLimitGigabytes(req.getGigabytes());
        }
        if (req.hasSnapshots()) {
            b.setLimitSnapshots(req.getSnapshots());
        }
        volumeQuotas.put(req.getProjectId(), b.build());
        FakeNetworkService.reply(out, quotasOf(req.getProjectId()));
    }

    private io.virga.contracts.storage.v1.VolumeQuotas quotasOf(String project) {
        io.virga.contracts.storage.v1.VolumeQuotas limits = volumeQuotas.getOrDefault(project,
                io.virga.contracts.storage.v1.VolumeQuotas.newBuilder().setLimitVolumes(10).setLimitGigabytes(1000)
                        .setLimitSnapshots(10).build());
        List<Volume> mine = volumes.values().stream().filter(v -> v.getProjectId().equals(project)).toList();
        return limits.toBuilder().setProjectId(project).setUsedVolumes(mine.size())
                .setUsedGigabytes(mine.stream().mapToLong(Volume::getSizeGb).sum()).build();
    }

    @Override
    public void resetVolumeState(io.virga.contracts.storage.v1.ResetVolumeStateRequest req, StreamObserver<Volume> out) {
        Volume v = volumes.get(req.getId());
        if (v == null || !v.getProjectId().equals(req.getProjectId())) {
            out.onError(GrpcErrors.notFound("volume", req.getId()));
            return;
        }
        Volume next = v.toBuilder().setStatus(req.getStatus().toUpperCase(java.util.Locale.ROOT)).build();
        volumes.put(v.getId(), next);
        FakeNetworkService.reply(out, next);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.virga.gateway.instance.fakes;

import io.grpc.stub.StreamObserver;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteResponse;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.ListVolumesResponse;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import io.virga.contracts.storage.v1.Volume;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory storage-svc with the contract's semantics: images visible to
 * their project or public; CreateVolume idempotent on request_id, refusing an
 * image that is not ACTIVE (FAILED_PRECONDITION) or a size below its minimum
 * (INVALID_ARGUMENT); DeleteVolumesByOwner deletes the owner's
 * delete-on-termination volumes.
 */
public final class FakeStorage extends StorageServiceGrpc.StorageServiceImplBase {
    public final Failures failures = new Failures();
    private final Map<String, Image> images = new HashMap<>();
    private final Map<String, Volume> volumes = new HashMap<>();
    private final Map<String, String> volumeByRequest = new HashMap<>();
    private final Map<String, String> data = new HashMap<>();

    /** Adds an image and returns its id. */
    public synchronized String addImage(String projectId, String status, String diskFormat, int minDiskGb,
                                        boolean isPublic) {
        String id = Ids.newId("img");
        images.put(id, Image.newBuilder().setId(id).setProjectId(projectId).setName("image-" + id)
                .setDiskFormat(diskFormat).setStatus(status).setMinDiskGb(minDiskGb)
                .setVisibility(isPublic ? "public" : "private").build());
        return id;
    }

    /** Adds an image with properties and returns its id. */
    public synchronized String addImage(String projectId, Map<String, String> properties) {
        String id = addImage(projectId, "ACTIVE", "qcow2", 1, false);
        images.put(id, images.get(id).toBuilder().putAllProperties(properties).build());
        return id;
    }

    /** The project's images as they are now. */
    public synchronized List<Image> imagesOf(String projectId) {
        return images.values().stream().filter(i -> i.getProjectId().equals(projectId)).toList();
    }

    /** What was uploaded as each image's data. */
    public synchronized String dataOf(String imageId) {
        return data.get(imageId);
    }

    @Override
    public void createImage(io.virga.contracts.storage.v1.CreateImageRequest req, StreamObserver<Image> out) {
        Answer.of(out, () -> {
            failures.check("CreateImage");
            synchronized (this) {
                String id = Ids.newId("img");
                Image i = Image.newBuilder().setId(id).setProjectId(req.getProjectId()).setName(req.getName())
                        .setDiskFormat(req.getDiskFormat()).setStatus("QUEUED").setMinDiskGb(req.getMinDiskGb())
                        .setVisibility(req.getVisibility().isEmpty() ? "private" : req.getVisibility())
                        .putAllProperties(req.getPropertiesMap()).build();
                images.put(id, i);
                return i;
            }
        });
    }

    /** Client stream: first chunk names the image; ACTIVE on success; on any failure the image stays QUEUED. */
    @Override
    public StreamObserver<io.virga.contracts.storage.v1.ImageChunk> uploadImageData(StreamObserver<Image> out) {
        return new StreamObserver<>() {
            private String project;
            private String id;
            private final StringBuilder bytes = new StringBuilder();

            @Override
            public void onNext(io.virga.contracts.storage.v1.ImageChunk c) {
                if (id == null) {
                    project = c.getProjectId();
                    id = c.getImageId();
                }
                bytes.append(c.getData().toStringUtf8());
            }

            @Override
            public void onError(Throwable t) {
                // the sender gave up: nothing is kept, the image stays QUEUED
            }

            @Override
            public void onCompleted() {
                Answer.of(out, () -> {
                    failures.check("UploadImageData");
                    synchronized (FakeStorage.this) {
                        Image i = visible(project, id);
                        if (!i.getStatus().equals("QUEUED")) {
                            throw GrpcErrors.failedPrecondition("image " + id + " already has data");
                        }
                        Image done = i.toBuilder().setStatus("ACTIVE").setSizeBytes(bytes.length()).build();
                        images.put(id, done);
                        data.put(id, bytes.toString());
                        return done;
                    }
                });
            }
        };
    }

    @Override
    public void listImages(io.virga.contracts.storage.v1.ListImagesRequest req,
                           StreamObserver<io.virga.contracts.storage.v1.ListImagesResponse> out) {
        Answer.of(out, () -> {
            failures.check("ListImages");
            synchronized (this) {
                return io.virga.contracts.storage.v1.ListImagesResponse.newBuilder().addAllImages(images.values()
                        .stream().filter(i -> i.getVisibility().equals("public")
                                || i.getProjectId().equals(req.getProjectId())).toList()).build();
            }
        });
    }

    @Override
    public void deleteImage(io.virga.contracts.storage.v1.DeleteImageRequest req,
                            StreamObserver<DeleteResponse> out) {
        Answer.of(out, () -> {
            failures.check("DeleteImage");
            synchronized (this) {
                Image i = visible(req.getProjectId(), req.getId());
                images.remove(i.getId());
                data.remove(i.getId());
                return DeleteResponse.newBuilder().setDeleted(1).build();
            }
        });
    }

    @Override
    public void deleteVolume(io.virga.contracts.storage.v1.DeleteVolumeRequest req,
                             StreamObserver<DeleteResponse> out) {
        Answer.of(out, () -> {
            failures.check("DeleteVolume");
            synchronized (this) {
                Volume v = volumes.get(req.getId());
                if (v == null || !v.getProjectId().equals(req.getProjectId())) {
                    return DeleteResponse.newBuilder().setDeleted(0).build();
                }
                volumes.remove(v.getId());
                volumeByRequest.values().removeIf(id -> !volumes.containsKey(id));
                return DeleteResponse.newBuilder().setDeleted(1).build();
            }
        });
    }

    public synchronized int volumeCount() {
        return volumes.size();
    }

    /** The volumes owned by {@code ownerId}. */
    public synchronized List<Volume> volumesOf(String ownerId) {
        return volumes.values().stream().filter(v -> v.getOwnerId().equals(ownerId)).toList();
    }

    @Override
    public void getImage(GetImageRequest req, StreamObserver<Image> out) {
        Answer.of(out, () -> {
            failures.check("GetImage");
            synchronized (this) {
                return visible(req.getProjectId(), req.getId());
            }
        });
    }

    @Override
    public void createVolume(CreateVolumeRequest req, StreamObserver<Volume> out) {
        Answer.of(out, () -> {
            failures.check("CreateVolume");
            if (req.getRequestId().isBlank()) {
                throw GrpcErrors.invalidArgument("request_id", "is required");
            }
            synchronized (this) {
                String key = req.getProjectId() + "/" + req.getRequestId();
                if (volumeByRequest.containsKey(key)) {
                    return volumes.get(volumeByRequest.get(key));
                }
                if (!req.getImageId().isEmpty()) {
                    Image image = visible(req.getProjectId(), req.getImageId());
                    if (!image.getStatus().equals("ACTIVE")) {
                        throw GrpcErrors.failedPrecondition("image " + image.getId() + " is not ACTIVE");
                    }
                    if (req.getSizeGb() < image.getMinDiskGb()) {
                        throw GrpcErrors.invalidArgument("size_gb", "below the image's min_disk_gb");
                    }
                }
                if (req.getSizeGb() < 1) {
                    throw GrpcErrors.invalidArgument("size_gb", "must be at least 1");
                }
                Volume v = Volume.newBuilder().setId(Ids.newId("v")).setProjectId(req.getProjectId())
                        .setName(req.getName()).setSizeGb(req.getSizeGb()).setImageId(req.getImageId())
                        .setStatus("AVAILABLE").setOwnerId(req.getOwnerId()).setBootable(!req.getImageId().isEmpty())
                        .setDeleteOnTermination(req.getDeleteOnTermination()).build();
                volumes.put(v.getId(), v);
                volumeByRequest.put(key, v.getId());
                return v;
            }
        });
    }

    @Override
    public void deleteVolumesByOwner(DeleteVolumesByOwnerRequest req, StreamObserver<DeleteResponse> out) {
        Answer.of(out, () -> {
            failures.check("DeleteVolumesByOwner");
            synchronized (this) {
                List<Volume> doomed = volumes.values().stream().filter(v -> v.getOwnerId().equals(req.getOwnerId())
                        && v.getProjectId().equals(req.getProjectId()) && v.getDeleteOnTermination()).toList();
                doomed.forEach(v -> volumes.remove(v.getId()));
                volumeByRequest.values().removeIf(id -> !volumes.containsKey(id));
                return DeleteResponse.newBuilder().setDeleted(doomed.size()).build();
            }
        });
    }

    @Override
    public void listVolumes(ListVolumesRequest req, StreamObserver<ListVolumesResponse> out) {
        Answer.of(out, () -> {
            synchronized (this) {
                return ListVolumesResponse.newBuilder().addAllVolumes(volumes.values().stream()
                        .filter(v -> v.getProjectId().equals(req.getProjectId()))
                        .filter(v -> req.getOwnerId().isEmpty() || v.getOwnerId().equals(req.getOwnerId()))
                        .toList()).build();
            }
        });
    }

    private Image visible(String projectId, String id) {
        Image i = images.get(id);
        if (i == null || !(i.getVisibility().equals("public") || i.getProjectId().equals(projectId))) {
            throw GrpcErrors.notFound("image", id);
        }
        return i;
    }
}

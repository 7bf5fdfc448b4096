package io.virga.storage.grpc;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.DeleteResponse;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
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
import io.virga.storage.image.ImageService;
import io.virga.storage.image.NewImage;
import io.virga.storage.volume.NewVolume;
import io.virga.storage.volume.VolumeService;

/**
 * {@code virga.storage.v1.StorageService}: maps wire messages to the image
 * and volume services (which validate and own the contracts documented in
 * storage.proto). Unary calls run on worker threads; the upload stream
 * manages its own threading ({@link UploadObserver}).
 */
@GrpcService
public class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
    private final ImageService images;
    private final VolumeService volumes;

    public StorageGrpcService(ImageService images, VolumeService volumes) {
        this.images = images;
        this.volumes = volumes;
    }

    @Override
    @Blocking
    public void createImage(CreateImageRequest r, StreamObserver<Image> response) {
        Unary.answer(response, "CreateImage", () -> wire(images.create(NewImage.of(r.getProjectId(),
                r.getName(), r.getDiskFormat(), r.getMinDiskGb(), r.getVisibility(), r.getPropertiesMap()))));
    }

    @Override
    public StreamObserver<ImageChunk> uploadImageData(StreamObserver<Image> response) {
        return UploadObserver.start(response, images, Infrastructure.getDefaultWorkerPool());
    }

    @Override
    @Blocking
    public void getImage(GetImageRequest r, StreamObserver<Image> response) {
        Unary.answer(response, "GetImage", () -> wire(images.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listImages(ListImagesRequest r, StreamObserver<ListImagesResponse> response) {
        Unary.answer(response, "ListImages", () -> {
            ListImagesResponse.Builder b = ListImagesResponse.newBuilder();
            images.list(r.getProjectId()).forEach(i -> b.addImages(wire(i)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void deleteImage(DeleteImageRequest r, StreamObserver<DeleteResponse> response) {
        Unary.answer(response, "DeleteImage", () -> deleted(images.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void createVolume(CreateVolumeRequest r, StreamObserver<Volume> response) {
        Unary.answer(response, "CreateVolume", () -> ProtoMapper.volume(volumes.create(NewVolume.of(
                r.getProjectId(), r.getName(), r.getSizeGb(), r.getImageId(), r.getOwnerId(),
                r.getDeleteOnTermination(), r.getRequestId()))));
    }

    @Override
    @Blocking
    public void getVolume(GetVolumeRequest r, StreamObserver<Volume> response) {
        Unary.answer(response, "GetVolume", () -> ProtoMapper.volume(volumes.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listVolumes(ListVolumesRequest r, StreamObserver<ListVolumesResponse> response) {
        Unary.answer(response, "ListVolumes", () -> {
            ListVolumesResponse.Builder b = ListVolumesResponse.newBuilder();
            volumes.list(r.getProjectId(), r.getOwnerId()).forEach(v -> b.addVolumes(ProtoMapper.volume(v)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void deleteVolume(DeleteVolumeRequest r, StreamObserver<DeleteResponse> response) {
        Unary.answer(response, "DeleteVolume",
                () -> deleted(volumes.delete(r.getProjectId(), r.getId(), r.getForce())));
    }

    @Override
    @Blocking
    public void deleteVolumesByOwner(DeleteVolumesByOwnerRequest r, StreamObserver<DeleteResponse> response) {
        Unary.answer(response, "DeleteVolumesByOwner",
                () -> deleted(volumes.deleteByOwner(r.getProjectId(), r.getOwnerId())));
    }

    private static DeleteResponse deleted(int count) {
        return DeleteResponse.newBuilder().setDeleted(count).build();
    }

    private Image wire(io.virga.storage.image.Image i) {
        return ProtoMapper.image(i, images.location(i));
    }
}

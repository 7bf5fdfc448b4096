package io.virga.storage.grpc;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.AuditRequest;
import io.virga.contracts.storage.v1.AuditResponse;
import io.virga.contracts.storage.v1.CapacityResponse;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.CreateSnapshotRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetCapacityRequest;
import io.virga.contracts.storage.v1.GetSnapshotRequest;
import io.virga.contracts.storage.v1.ListSnapshotsRequest;
import io.virga.contracts.storage.v1.ListSnapshotsResponse;
import io.virga.contracts.storage.v1.RevertVolumeRequest;
import io.virga.contracts.storage.v1.Snapshot;
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

/**
 * {@code virga.storage.v1.StorageService}: maps wire messages to the image
 * and volume services (which validate and own the contracts documented in
 * storage.proto). Unary calls run on worker threads; the upload stream
 * manages its own threading ({@link UploadObserver}).
 */
@GrpcService
public class StorageGrpcService extends StorageServiceGrpc.StorageServiceImplBase {
    private final ImageService images;
    private final VolumeRpcs volumeRpcs;

    public StorageGrpcService(ImageService images, VolumeRpcs volumeRpcs) {
        this.images = images;
        this.volumeRpcs = volumeRpcs;
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

    static DeleteResponse deleted(int count) {
        return DeleteResponse.newBuilder().setDeleted(count).build();
    }

    private Image wire(io.virga.storage.image.Image i) {
        return ProtoMapper.image(i, images.location(i));
    }

    // ---- volumes, snapshots, attachments, admin: VolumeRpcs ------------------------------------

    @Override
    public void createVolume(CreateVolumeRequest r, StreamObserver<Volume> response) {
        volumeRpcs.createVolume(r, response);
    }

    @Override
    public void getVolume(GetVolumeRequest r, StreamObserver<Volume> response) {
        volumeRpcs.getVolume(r, response);
    }

    @Override
    public void listVolumes(ListVolumesRequest r, StreamObserver<ListVolumesResponse> response) {
        volumeRpcs.listVolumes(r, response);
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest r, StreamObserver<DeleteResponse> response) {
        volumeRpcs.deleteVolume(r, response);
    }

    @Override
    public void deleteVolumesByOwner(DeleteVolumesByOwnerRequest r, StreamObserver<DeleteResponse> response) {
        volumeRpcs.deleteVolumesByOwner(r, response);
    }

    @Override
    public void extendVolume(ExtendVolumeRequest r, StreamObserver<Volume> response) {
        volumeRpcs.extendVolume(r, response);
    }

    @Override
    public void endExtend(EndOperationRequest r, StreamObserver<Volume> response) {
        volumeRpcs.endExtend(r, response);
    }

    @Override
    public void revertVolume(RevertVolumeRequest r, StreamObserver<Volume> response) {
        volumeRpcs.revertVolume(r, response);
    }

    @Override
    public void createSnapshot(CreateSnapshotRequest r, StreamObserver<Snapshot> response) {
        volumeRpcs.createSnapshot(r, response);
    }

    @Override
    public void getSnapshot(GetSnapshotRequest r, StreamObserver<Snapshot> response) {
        volumeRpcs.getSnapshot(r, response);
    }

    @Override
    public void listSnapshots(ListSnapshotsRequest r, StreamObserver<ListSnapshotsResponse> response) {
        volumeRpcs.listSnapshots(r, response);
    }

    @Override
    public void deleteSnapshot(GetSnapshotRequest r, StreamObserver<DeleteResponse> response) {
        volumeRpcs.deleteSnapshot(r, response);
    }

    @Override
    public void beginAttach(AttachmentRequest r, StreamObserver<Volume> response) {
        volumeRpcs.beginAttach(r, response);
    }

    @Override
    public void endAttach(EndOperationRequest r, StreamObserver<Volume> response) {
        volumeRpcs.endAttach(r, response);
    }

    @Override
    public void beginDetach(AttachmentRequest r, StreamObserver<Volume> response) {
        volumeRpcs.beginDetach(r, response);
    }

    @Override
    public void endDetach(EndOperationRequest r, StreamObserver<Volume> response) {
        volumeRpcs.endDetach(r, response);
    }

    @Override
    public void getCapacity(GetCapacityRequest r, StreamObserver<CapacityResponse> response) {
        volumeRpcs.getCapacity(r, response);
    }

    @Override
    public void audit(AuditRequest r, StreamObserver<AuditResponse> response) {
        volumeRpcs.audit(r, response);
    }

    @Override
    public void resetVolumeState(io.virga.contracts.storage.v1.ResetVolumeStateRequest r,
            StreamObserver<Volume> response) {
        volumeRpcs.resetVolumeState(r, response);
    }

    @Override
    public void getVolumeQuotas(io.virga.contracts.storage.v1.GetVolumeQuotasRequest r,
            StreamObserver<io.virga.contracts.storage.v1.VolumeQuotas> response) {
        volumeRpcs.getVolumeQuotas(r, response);
    }

    @Override
    public void setVolumeQuotas(io.virga.contracts.storage.v1.SetVolumeQuotasRequest r,
            StreamObserver<io.virga.contracts.storage.v1.VolumeQuotas> response) {
        volumeRpcs.setVolumeQuotas(r, response);
    }
}

package io.virga.gateway.instance.snapshot;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.DiskFormat;
import io.virga.contracts.storage.v1.CreateImageRequest;
import io.virga.contracts.storage.v1.DeleteImageRequest;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ListImagesRequest;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The storage-svc side of a snapshot: the image a snapshot operation makes
 * is marked with the property {@value #OPERATION} = the operation id, so that
 * a step run again after a crash finds the image it made instead of making a
 * second one (CreateImage has no request id), and compensation finds what to delete.
 */
final class SnapshotImages {
    static final String OPERATION = "snapshot_operation";

    private final ServiceClients clients;
    private final InstanceFlowConfig config;

    SnapshotImages(ServiceClients clients, InstanceFlowConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** The image operation {@code operationId} made, if any. */
    Optional<Image> madeBy(String projectId, String operationId) {
        return clients.storage(config.callTimeout()).listImages(ListImagesRequest.newBuilder()
                .setProjectId(projectId).build()).getImagesList().stream()
                .filter(i -> operationId.equals(i.getPropertiesMap().get(OPERATION))).findFirst();
    }

    /**
     * A new private image for the snapshot of {@code i}: the source image's
     * properties (kind, virt_mode, hypervisor_type, kernel_id, ramdisk_id, …)
     * so that it boots as the instance did, plus image_type=snapshot,
     * instance_id, base_image_ref and the operation marker.
     */
    Image create(Instance i, String name, DiskFormat format, String operationId) {
        Map<String, String> props = new HashMap<>(sourceProperties(i));
        props.put("image_type", "snapshot");
        props.put("instance_id", i.id());
        props.put("base_image_ref", i.imageId());
        props.put(OPERATION, operationId);
        return clients.storage(config.callTimeout()).createImage(CreateImageRequest.newBuilder()
                .setProjectId(i.projectId()).setName(name).setDiskFormat(wire(format))
                .setMinDiskGb(i.flavor().diskGb()).setVisibility("private").putAllProperties(props).build());
    }

    /** Deletes the image; an image already gone is fine. */
    void delete(String projectId, String imageId) {
        try {
            clients.storage(config.callTimeout()).deleteImage(DeleteImageRequest.newBuilder()
                    .setProjectId(projectId).setId(imageId).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    private Map<String, String> sourceProperties(Instance i) {
        try {
            Map<String, String> props = new HashMap<>(clients.storage(config.callTimeout()).getImage(
                    GetImageRequest.newBuilder().setProjectId(i.projectId()).setId(i.imageId()).build())
                    .getPropertiesMap());
            props.remove(OPERATION);
            return props;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Map.of(); // the source image was deleted since: nothing to copy
            }
            throw e;
        }
    }

    /** A node's snapshot format as storage-svc's disk_format. */
    static String wire(DiskFormat format) {
        return switch (format) {
            case DISK_FORMAT_QCOW2 -> "qcow2";
            case DISK_FORMAT_TAR -> "oci";
            default -> "raw";
        };
    }
}

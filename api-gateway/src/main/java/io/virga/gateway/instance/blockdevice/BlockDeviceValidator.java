package io.virga.gateway.instance.blockdevice;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.GetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.Volume;
import io.virga.contracts.storage.v1.VolumeQuotas;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.error.FieldError;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the block devices of an instance create before anything is written (after the rest of the
 * body passed {@link io.virga.gateway.instance.InstanceValidator}):
 * <pre>
 * bad shape, size below the image's min_disk_gb, a container flavor       400 (fields named)
 * a volume that does not exist or is another project's                      404
 * a volume not AVAILABLE (attached and not multiattach, building, ERROR …),
 * or a boot volume record without data of its own                           409
 * a new boot volume over the project's volumes / gigabytes quota            403 quota-exceeded
 * </pre>
 * The quota check here is for a clear answer; storage-svc enforces it race-free when the volume is made
 * (a create that loses that race ends in ERROR with the quota named). Nothing is changed either way.
 */
@ApplicationScoped
public class BlockDeviceValidator {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;

    public BlockDeviceValidator(ServiceClients clients, InstanceFlowConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** The plan for {@code body}'s block devices (empty when it names none). */
    public BlockDevicePlan validate(String projectId, JsonNode body, String imageId, String flavorKind) {
        List<FieldError> errors = new ArrayList<>();
        BlockDeviceRequest r = BlockDeviceRequest.parse(body, errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        if (r.isEmpty()) {
            return BlockDevicePlan.of(r);
        }
        if ("container".equalsIgnoreCase(flavorKind)) {
            throw ApiException.badRequest(r.boot() != null ? "boot_volume" : "volumes",
                    "volumes need a vm flavor; a container's root filesystem is the node's overlay on its image");
        }
        if (r.boot() != null && r.boot().isNew()) {
            int min = GrpcProblems.call(() -> clients.storage(config.validationTimeout()).getImage(GetImageRequest
                    .newBuilder().setProjectId(projectId).setId(imageId).build())).getMinDiskGb();
            if (r.boot().sizeGb() < min) {
                throw ApiException.badRequest("boot_volume.size_gb", "must be at least " + min + " GiB for image "
                        + imageId);
            }
            checkQuota(projectId, r.boot().sizeGb());
        }
        for (String id : r.existingVolumes()) {
            usable(volume(projectId, id));
        }
        return BlockDevicePlan.of(r);
    }

    private Volume volume(String projectId, String id) {
        try {
            return clients.storage(config.validationTimeout()).getVolume(GetVolumeRequest.newBuilder()
                    .setProjectId(projectId).setId(id).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiException.notFound("volume", id);
            }
            throw GrpcProblems.from(e);
        }
    }

    /** 409 unless the volume can be attached to a new instance now. */
    static void usable(Volume v) {
        if ("record".equals(v.getBackend()) || v.getPath().isEmpty()) {
            throw ApiException.conflict("volume " + v.getId() + " has no file a hypervisor can open (an instance's "
                    + "boot disk record, or a volume of backend " + v.getBackend() + "); it cannot be attached");
        }
        boolean free = "AVAILABLE".equals(v.getStatus());
        boolean shared = "IN_USE".equals(v.getStatus()) && v.getMultiattach();
        if (!free && !shared) {
            throw ApiException.conflict("volume " + v.getId() + " is " + v.getStatus()
                    + (v.getAttachmentsCount() > 0 ? " (attached to " + String.join(", ", v.getAttachmentsList())
                            + ")" : "") + "; only an AVAILABLE volume (or a multiattach one) can be attached at boot");
        }
    }

    private void checkQuota(String projectId, int sizeGb) {
        VolumeQuotas q;
        try {
            q = clients.storage(config.validationTimeout()).getVolumeQuotas(GetVolumeQuotasRequest.newBuilder()
                    .setProjectId(projectId).build());
        } catch (StatusRuntimeException e) {
            return; // storage-svc enforces it anyway when the volume is made
        }
        List<String> over = new ArrayList<>();
        if (q.getLimitVolumes() >= 0 && q.getUsedVolumes() + 1 > q.getLimitVolumes()) {
            over.add("volumes " + q.getUsedVolumes() + " + 1 > " + q.getLimitVolumes());
        }
        if (q.getLimitGigabytes() >= 0 && q.getUsedGigabytes() + sizeGb > q.getLimitGigabytes()) {
            over.add("gigabytes " + q.getUsedGigabytes() + " + " + sizeGb + " > " + q.getLimitGigabytes());
        }
        if (!over.isEmpty()) {
            throw ApiException.quotaExceeded("quota exceeded: " + String.join(", ", over));
        }
    }
}

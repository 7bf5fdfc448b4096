package io.virga.storage.grpc;

import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.Volume;

/** Records to wire messages (proto3: absent values are left at their defaults). */
final class ProtoMapper {
    private ProtoMapper() {
    }

    static Image image(io.virga.storage.image.Image i, String location) {
        Image.Builder b = Image.newBuilder().setId(i.id()).setProjectId(i.projectId()).setName(i.name())
                .setDiskFormat(i.diskFormat().wire()).setStatus(i.status().name()).setMinDiskGb(i.minDiskGb())
                .setVisibility(i.visibility().wire()).setCreatedAt(i.createdAt().toString())
                .putAllProperties(i.properties()).setLocation(location);
        if (i.sizeBytes() != null) {
            b.setSizeBytes(i.sizeBytes());
        }
        if (i.sha256() != null) {
            b.setSha256(i.sha256());
        }
        return b.build();
    }

    static Volume volume(io.virga.storage.volume.Volume v) {
        Volume.Builder b = Volume.newBuilder().setId(v.id()).setProjectId(v.projectId()).setName(v.name())
                .setSizeGb(v.sizeGb()).setStatus(v.status().name()).setBootable(v.bootable())
                .setDeleteOnTermination(v.deleteOnTermination()).setCreatedAt(v.createdAt().toString());
        if (v.imageId() != null) {
            b.setImageId(v.imageId());
        }
        if (v.ownerId() != null) {
            b.setOwnerId(v.ownerId());
        }
        return b.build();
    }
}

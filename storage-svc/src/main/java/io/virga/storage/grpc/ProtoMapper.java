package io.virga.storage.grpc;

import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.Snapshot;
import io.virga.contracts.storage.v1.Volume;
import io.virga.storage.backend.VolumeBackend;

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

    static Volume volume(io.virga.storage.volume.Volume v, VolumeBackend.Location location) {
        Volume.Builder b = Volume.newBuilder().setId(v.id()).setProjectId(v.projectId()).setName(v.name())
                .setSizeGb(v.sizeGb()).setStatus(v.status().name()).setBootable(v.bootable())
                .setDeleteOnTermination(v.deleteOnTermination()).setCreatedAt(v.createdAt().toString())
                .setVolumeType(v.volumeType()).setBackend(v.backend()).setMultiattach(v.multiattach())
                .addAllAttachments(v.attachments()).setFormat(location.format());
        if (v.imageId() != null) {
            b.setImageId(v.imageId());
        }
        if (v.ownerId() != null) {
            b.setOwnerId(v.ownerId());
        }
        if (v.sourceVolumeId() != null) {
            b.setSourceVolumeId(v.sourceVolumeId());
        }
        if (v.snapshotId() != null) {
            b.setSnapshotId(v.snapshotId());
        }
        if (location.path() != null) {
            b.setPath(location.path().toString());
        }
        if (v.error() != null) {
            b.setError(v.error());
        }
        if (v.targetSizeGb() != null) {
            b.setTargetSizeGb(v.targetSizeGb());
        }
        if (v.pendingInstanceId() != null) {
            b.setPendingInstanceId(v.pendingInstanceId());
        }
        return b.build();
    }

    static Snapshot snapshot(io.virga.storage.volume.Snapshot s) {
        Snapshot.Builder b = Snapshot.newBuilder().setId(s.id()).setProjectId(s.projectId()).setVolumeId(s.volumeId())
                .setName(s.name()).setSizeGb(s.sizeGb()).setStatus(s.status().name())
                .setCreatedAt(s.createdAt().toString());
        if (s.error() != null) {
            b.setError(s.error());
        }
        return b.build();
    }
}

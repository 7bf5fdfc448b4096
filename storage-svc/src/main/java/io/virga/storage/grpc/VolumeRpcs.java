package io.virga.storage.grpc;

import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.virga.contracts.storage.v1.AttachmentRequest;
import io.virga.contracts.storage.v1.AuditFinding;
import io.virga.contracts.storage.v1.AuditRequest;
import io.virga.contracts.storage.v1.AuditResponse;
import io.virga.contracts.storage.v1.BackendCapacity;
import io.virga.contracts.storage.v1.CapacityResponse;
import io.virga.contracts.storage.v1.CreateSnapshotRequest;
import io.virga.contracts.storage.v1.CreateVolumeRequest;
import io.virga.contracts.storage.v1.DeleteResponse;
import io.virga.contracts.storage.v1.DeleteVolumeRequest;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.contracts.storage.v1.EndOperationRequest;
import io.virga.contracts.storage.v1.ExtendVolumeRequest;
import io.virga.contracts.storage.v1.GetCapacityRequest;
import io.virga.contracts.storage.v1.GetSnapshotRequest;
import io.virga.contracts.storage.v1.GetVolumeRequest;
import io.virga.contracts.storage.v1.ListSnapshotsRequest;
import io.virga.contracts.storage.v1.ListSnapshotsResponse;
import io.virga.contracts.storage.v1.ListVolumesRequest;
import io.virga.contracts.storage.v1.ListVolumesResponse;
import io.virga.contracts.storage.v1.GetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.ResetVolumeStateRequest;
import io.virga.contracts.storage.v1.RevertVolumeRequest;
import io.virga.contracts.storage.v1.SetVolumeQuotasRequest;
import io.virga.contracts.storage.v1.VolumeQuotas;
import io.virga.contracts.storage.v1.Snapshot;
import io.virga.contracts.storage.v1.Volume;
import io.virga.storage.backend.Backends;
import io.virga.storage.volume.Attachments;
import io.virga.storage.volume.CapacityReport;
import io.virga.storage.volume.NewVolume;
import io.virga.storage.volume.SnapshotService;
import io.virga.storage.volume.StateReset;
import io.virga.storage.volume.VolumeAuditor;
import io.virga.storage.volume.VolumeService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The volume half of {@code StorageService}: wire messages to
 * {@link VolumeService}, {@link SnapshotService}, {@link Attachments} and the
 * admin reports. Every call runs on a worker thread (they block on the database).
 */
@ApplicationScoped
public class VolumeRpcs {
    private final VolumeService volumes;
    private final SnapshotService snapshots;
    private final Attachments attachments;
    private final CapacityReport capacity;
    private final VolumeAuditor auditor;
    private final Backends backends;
    private final StateReset resets;
    private final io.virga.storage.quota.VolumeQuotas quotas;

    public VolumeRpcs(VolumeService volumes, SnapshotService snapshots, Attachments attachments,
            CapacityReport capacity, VolumeAuditor auditor, Backends backends, StateReset resets,
            io.virga.storage.quota.VolumeQuotas quotas) {
        this.resets = resets;
        this.quotas = quotas;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.attachments = attachments;
        this.capacity = capacity;
        this.auditor = auditor;
        this.backends = backends;
    }

    private static <T> void blocking(StreamObserver<T> response, String method, Supplier<T> work) {
        Infrastructure.getDefaultWorkerPool().execute(() -> Unary.answer(response, method, work));
    }

    private Volume wire(io.virga.storage.volume.Volume v) {
        return ProtoMapper.volume(v, backends.named(v.backend()).locate(v.id()));
    }

    void createVolume(CreateVolumeRequest r, StreamObserver<Volume> response) {
        blocking(response, "CreateVolume", () -> wire(volumes.create(NewVolume.of(r.getProjectId(), r.getName(),
                r.getSizeGb(), r.getImageId(), r.getOwnerId(), r.getDeleteOnTermination(), r.getRequestId(),
                r.getVolumeType(), r.getSnapshotId(), r.getSourceVolumeId(), r.getMultiattach()))));
    }

    void getVolume(GetVolumeRequest r, StreamObserver<Volume> response) {
        blocking(response, "GetVolume", () -> wire(volumes.get(r.getProjectId(), r.getId())));
    }

    void listVolumes(ListVolumesRequest r, StreamObserver<ListVolumesResponse> response) {
        blocking(response, "ListVolumes", () -> {
            ListVolumesResponse.Builder b = ListVolumesResponse.newBuilder();
            volumes.list(r.getProjectId(), r.getOwnerId()).forEach(v -> b.addVolumes(wire(v)));
            return b.build();
        });
    }

    void deleteVolume(DeleteVolumeRequest r, StreamObserver<DeleteResponse> response) {
        blocking(response, "DeleteVolume",
                () -> StorageGrpcService.deleted(volumes.delete(r.getProjectId(), r.getId(), r.getForce())));
    }

    void deleteVolumesByOwner(DeleteVolumesByOwnerRequest r, StreamObserver<DeleteResponse> response) {
        blocking(response, "DeleteVolumesByOwner",
                () -> StorageGrpcService.deleted(volumes.deleteByOwner(r.getProjectId(), r.getOwnerId())));
    }

    void extendVolume(ExtendVolumeRequest r, StreamObserver<Volume> response) {
        blocking(response, "ExtendVolume", () -> wire(volumes.extend(r.getProjectId(), r.getId(), r.getSizeGb())));
    }

    void endExtend(EndOperationRequest r, StreamObserver<Volume> response) {
        blocking(response, "EndExtend",
                () -> wire(volumes.endExtend(r.getProjectId(), r.getId(), r.getSucceeded(), r.getError())));
    }

    void revertVolume(RevertVolumeRequest r, StreamObserver<Volume> response) {
        blocking(response, "RevertVolume", () -> wire(volumes.revert(r.getProjectId(), r.getId())));
    }

    void createSnapshot(CreateSnapshotRequest r, StreamObserver<Snapshot> response) {
        blocking(response, "CreateSnapshot",
                () -> ProtoMapper.snapshot(snapshots.create(r.getProjectId(), r.getVolumeId(), r.getName())));
    }

    void getSnapshot(GetSnapshotRequest r, StreamObserver<Snapshot> response) {
        blocking(response, "GetSnapshot", () -> ProtoMapper.snapshot(snapshots.get(r.getProjectId(), r.getId())));
    }

    void listSnapshots(ListSnapshotsRequest r, StreamObserver<ListSnapshotsResponse> response) {
        blocking(response, "ListSnapshots", () -> {
            ListSnapshotsResponse.Builder b = ListSnapshotsResponse.newBuilder();
            snapshots.list(r.getProjectId(), r.getVolumeId()).forEach(s -> b.addSnapshots(ProtoMapper.snapshot(s)));
            return b.build();
        });
    }

    void deleteSnapshot(GetSnapshotRequest r, StreamObserver<DeleteResponse> response) {
        blocking(response, "DeleteSnapshot",
                () -> StorageGrpcService.deleted(snapshots.delete(r.getProjectId(), r.getId())));
    }

    void beginAttach(AttachmentRequest r, StreamObserver<Volume> response) {
        blocking(response, "BeginAttach",
                () -> wire(attachments.beginAttach(r.getProjectId(), r.getId(), r.getInstanceId())));
    }

    void endAttach(EndOperationRequest r, StreamObserver<Volume> response) {
        blocking(response, "EndAttach", () -> wire(attachments.endAttach(r.getProjectId(), r.getId(),
                r.getInstanceId(), r.getSucceeded(), r.getError())));
    }

    void beginDetach(AttachmentRequest r, StreamObserver<Volume> response) {
        blocking(response, "BeginDetach",
                () -> wire(attachments.beginDetach(r.getProjectId(), r.getId(), r.getInstanceId())));
    }

    void endDetach(EndOperationRequest r, StreamObserver<Volume> response) {
        blocking(response, "EndDetach", () -> wire(attachments.endDetach(r.getProjectId(), r.getId(),
                r.getInstanceId(), r.getSucceeded(), r.getError())));
    }

    void getCapacity(GetCapacityRequest r, StreamObserver<CapacityResponse> response) {
        blocking(response, "GetCapacity", () -> {
            CapacityResponse.Builder b = CapacityResponse.newBuilder();
            capacity.lines().forEach(l -> b.addBackends(BackendCapacity.newBuilder().setBackend(l.backend())
                    .setProvisionedBytes(l.provisionedBytes()).setAllocatedBytes(l.allocatedBytes())
                    .setPhysicalBytes(l.physicalBytes()).setPhysicalFreeBytes(l.physicalFreeBytes())
                    .setOversubscriptionRatio(l.ratio()).setProvisionableBytes(l.provisionableBytes())
                    .setVolumes(l.volumes())));
            return b.build();
        });
    }

    void audit(AuditRequest r, StreamObserver<AuditResponse> response) {
        blocking(response, "Audit", () -> {
            VolumeAuditor.Report report = auditor.audit(r.getClean());
            AuditResponse.Builder b = AuditResponse.newBuilder().setVolumes(report.volumes());
            report.findings().forEach(f -> b.addFindings(AuditFinding.newBuilder().setKind(f.kind())
                    .setBackend(f.backend()).setVolumeId(f.volumeId()).setDetail(f.detail()).setCleaned(f.cleaned())));
            return b.build();
        });
    }

    void resetVolumeState(ResetVolumeStateRequest r, StreamObserver<Volume> response) {
        blocking(response, "ResetVolumeState", () -> wire(resets.reset(r.getProjectId(), r.getId(), r.getStatus())));
    }

    void getVolumeQuotas(GetVolumeQuotasRequest r, StreamObserver<VolumeQuotas> response) {
        blocking(response, "GetVolumeQuotas", () -> wire(quotas.get(r.getProjectId())));
    }

    void setVolumeQuotas(SetVolumeQuotasRequest r, StreamObserver<VolumeQuotas> response) {
        blocking(response, "SetVolumeQuotas", () -> wire(quotas.set(r.getProjectId(),
                r.hasVolumes() ? r.getVolumes() : null, r.hasGigabytes() ? r.getGigabytes() : null,
                r.hasSnapshots() ? r.getSnapshots() : null)));
    }

    private static VolumeQuotas wire(io.virga.storage.quota.VolumeQuotas.Quota q) {
        return VolumeQuotas.newBuilder().setProjectId(q.projectId())
                .setLimitVolumes(q.limits().volumes()).setLimitGigabytes(q.limits().gigabytes())
                .setLimitSnapshots(q.limits().snapshots()).setUsedVolumes(q.used().volumes())
                .setUsedGigabytes(q.used().gigabytes()).setUsedSnapshots(q.used().snapshots()).build();
    }
}

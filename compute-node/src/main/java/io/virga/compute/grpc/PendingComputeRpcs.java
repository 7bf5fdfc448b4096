package io.virga.compute.grpc;

import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.virga.contracts.compute.v1.AttachVolumeRequest;
import io.virga.contracts.compute.v1.ComputeService;
import io.virga.contracts.compute.v1.ConsolesResponse;
import io.virga.contracts.compute.v1.DataChunk;
import io.virga.contracts.compute.v1.DetachVolumeRequest;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.GuestActionResponse;
import io.virga.contracts.compute.v1.ImportDiskResponse;
import io.virga.contracts.compute.v1.MigrateLiveRequest;
import io.virga.contracts.compute.v1.PrepareIncomingRequest;
import io.virga.contracts.compute.v1.PrepareIncomingResponse;
import io.virga.contracts.compute.v1.RebootRequest;
import io.virga.contracts.compute.v1.RebuildRequest;
import io.virga.contracts.compute.v1.SnapshotRequest;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.contracts.compute.v1.VolumeResizedRequest;

/**
 * The action RPCs of the compute contract that this node does not serve yet: each answers
 * UNIMPLEMENTED naming the trait it needs, which is the contract's answer for a missing capability.
 * Methods move out of here into {@link ComputeGrpcService} as the node implements them.
 */
abstract class PendingComputeRpcs implements ComputeService {

    private static <T> Uni<T> lacks(String trait) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("this host lacks " + trait).asRuntimeException());
    }

    private static <T> Multi<T> lacksStream(String trait) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED.withDescription("this host lacks " + trait).asRuntimeException());
    }

    @Override
    public Uni<GuestActionResponse> stop(StopRequest request) {
        return lacks("COMPUTE_POWER_CONTROL");
    }

    @Override
    public Uni<GuestActionResponse> start(GuestActionRequest request) {
        return lacks("COMPUTE_POWER_CONTROL");
    }

    @Override
    public Uni<GuestActionResponse> reboot(RebootRequest request) {
        return lacks("COMPUTE_POWER_CONTROL");
    }

    @Override
    public Uni<GuestActionResponse> pause(GuestActionRequest request) {
        return lacks("COMPUTE_PAUSE");
    }

    @Override
    public Uni<GuestActionResponse> unpause(GuestActionRequest request) {
        return lacks("COMPUTE_PAUSE");
    }

    @Override
    public Uni<GuestActionResponse> suspend(GuestActionRequest request) {
        return lacks("COMPUTE_SUSPEND");
    }

    @Override
    public Uni<GuestActionResponse> resume(GuestActionRequest request) {
        return lacks("COMPUTE_SUSPEND");
    }

    @Override
    public Multi<DataChunk> snapshot(SnapshotRequest request) {
        return lacksStream("COMPUTE_SNAPSHOT");
    }

    @Override
    public Uni<GuestActionResponse> rebuild(RebuildRequest request) {
        return lacks("COMPUTE_REBUILD");
    }

    @Override
    public Uni<PrepareIncomingResponse> prepareIncoming(PrepareIncomingRequest request) {
        return lacks("COMPUTE_MIGRATE");
    }

    @Override
    public Uni<GuestActionResponse> migrateLive(MigrateLiveRequest request) {
        return lacks("COMPUTE_LIVE_MIGRATE");
    }

    @Override
    public Multi<DataChunk> exportDisk(GuestActionRequest request) {
        return lacksStream("COMPUTE_MIGRATE");
    }

    @Override
    public Uni<ImportDiskResponse> importDisk(Multi<DataChunk> request) {
        return lacks("COMPUTE_MIGRATE");
    }

    @Override
    public Uni<GuestActionResponse> finishIncoming(GuestActionRequest request) {
        return lacks("COMPUTE_MIGRATE");
    }

    @Override
    public Uni<ConsolesResponse> getConsoles(GuestActionRequest request) {
        return lacks("COMPUTE_CONSOLE");
    }

    @Override
    public Uni<GuestActionResponse> attachVolume(AttachVolumeRequest request) {
        return lacks("COMPUTE_VOLUME_HOTPLUG");
    }

    @Override
    public Uni<GuestActionResponse> detachVolume(DetachVolumeRequest request) {
        return lacks("COMPUTE_VOLUME_HOTPLUG");
    }

    @Override
    public Uni<GuestActionResponse> volumeResized(VolumeResizedRequest request) {
        return lacks("COMPUTE_VOLUME_HOTPLUG");
    }
}

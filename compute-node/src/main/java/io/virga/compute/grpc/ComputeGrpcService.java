package io.virga.compute.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.network.NodeNetwork;
import io.virga.compute.config.NodeSettings;
import io.virga.compute.events.NodeEvents;
import io.virga.compute.guest.GuestActions;
import io.virga.compute.guest.GuestManager;
import io.virga.compute.guest.GuestView;
import io.virga.compute.host.HostIdentity;
import io.virga.compute.image.ImageResolver;
import io.virga.contracts.compute.v1.AttachVolumeRequest;
import io.virga.contracts.compute.v1.ComputeService;
import io.virga.contracts.compute.v1.ConsoleEndpoint;
import io.virga.contracts.compute.v1.ConsolesResponse;
import io.virga.contracts.compute.v1.DataChunk;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.DestroyResponse;
import io.virga.contracts.compute.v1.DetachVolumeRequest;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.Guest;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.GuestActionResponse;
import io.virga.contracts.compute.v1.ImportDiskResponse;
import io.virga.contracts.compute.v1.ListGuestsRequest;
import io.virga.contracts.compute.v1.ListGuestsResponse;
import io.virga.contracts.compute.v1.MigrateLiveRequest;
import io.virga.contracts.compute.v1.PrepareIncomingRequest;
import io.virga.contracts.compute.v1.PrepareIncomingResponse;
import io.virga.contracts.compute.v1.RebootRequest;
import io.virga.contracts.compute.v1.RebuildRequest;
import io.virga.contracts.compute.v1.SnapshotRequest;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.contracts.compute.v1.VolumeResizedRequest;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.Traits;
import io.virga.platform.grpc.GrpcErrors;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Supplier;

/**
 * {@code virga.compute.v1.ComputeService}: guest lifecycle and actions on this host. Every RPC maps to
 * {@link GuestManager} (spawn, destroy, look-ups) or {@link GuestActions} (one capability each); errors
 * follow {@link ComputeErrors}. An action that reports a state is refused with RESOURCE_EXHAUSTED
 * while the node's event queue is full (nothing changes).
 */
@GrpcService
public class ComputeGrpcService implements ComputeService {
    private static final Duration DEFAULT_SOFT_REBOOT_GRACE = Duration.ofSeconds(60);

    private final GuestManager guests;
    private final GuestActions actions;
    private final HostIdentity host;
    private final NodeEvents events;
    private final ImageResolver images;
    private final DiskStreams disks;
    private final NodeNetwork network;

    public ComputeGrpcService(GuestManager guests, GuestActions actions, HostIdentity host, NodeEvents events,
                              ImageResolver images, ComputeConfig config, NodeNetwork network) {
        this.network = network;
        this.guests = guests;
        this.actions = actions;
        this.host = host;
        this.events = events;
        this.images = images;
        this.disks = new DiskStreams(NodeSettings.stateDir(config).resolve("tmp"));
    }

    /** Validates, accepts at once and builds in the background; RUNNING or FAILED follows as an event. */
    @Override
    @Blocking
    public Uni<SpawnResponse> spawn(SpawnRequest request) {
        return call(() -> {
            SpawnRequests.toSpec(request);
            GuestSpec spec = network.plug(SpawnRequests.toSpec(images.resolve(request)));
            requireEventRoom();
            try {
                guests.spawn(spec);
            } catch (GuestConflictException e) {
                throw GrpcErrors.alreadyExists(e.getMessage());
            }
            return SpawnResponse.newBuilder().setAccepted(true).setHostId(host.hostId()).build();
        });
    }

    /** Removes the guest now; idempotent (existed = false for an unknown one). */
    @Override
    @Blocking
    public Uni<DestroyResponse> destroy(DestroyRequest request) {
        return call(() -> {
            String id = SpawnRequests.instanceId(request.getInstanceId());
            try {
                boolean existed = guests.destroy(id);
                network.unplug(id);
                return DestroyResponse.newBuilder().setExisted(existed).build();
            } catch (io.virga.hypervisor.HypervisorException | IllegalStateException e) {
                throw Status.UNAVAILABLE.withDescription("cannot destroy " + id + " now: " + e.getMessage())
                        .asRuntimeException();
            }
        });
    }

    @Override
    @Blocking
    public Uni<Guest> getGuest(GetGuestRequest request) {
        return call(() -> {
            String id = SpawnRequests.instanceId(request.getInstanceId());
            return guests.get(id).map(ComputeGrpcService::toProto).orElseThrow(() -> GrpcErrors.notFound("guest", id));
        });
    }

    @Override
    @Blocking
    public Uni<ListGuestsResponse> listGuests(ListGuestsRequest request) {
        return call(() -> {
            ListGuestsResponse.Builder b = ListGuestsResponse.newBuilder();
            guests.list().stream().sorted(Comparator.comparing(GuestView::instanceId)).forEach(g -> b.addGuests(toProto(g)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> stop(StopRequest r) {
        return action(r.getInstanceId(), id -> actions.stop(id, Duration.ofSeconds(Integer.toUnsignedLong(r.getGraceSeconds()))));
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> start(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::start);
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> reboot(RebootRequest r) {
        boolean hard = r.getType() == RebootRequest.Type.HARD;
        Duration grace = r.getGraceSeconds() == 0 ? DEFAULT_SOFT_REBOOT_GRACE
                : Duration.ofSeconds(Integer.toUnsignedLong(r.getGraceSeconds()));
        return action(r.getInstanceId(), id -> actions.reboot(id, hard, grace));
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> pause(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::pause);
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> unpause(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::unpause);
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> suspend(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::suspend);
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> resume(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::resume);
    }

    /** The boot disk as a standalone image, streamed; the guest keeps its power state. */
    @Override
    public Multi<DataChunk> snapshot(SnapshotRequest r) {
        String id;
        try {
            id = SpawnRequests.instanceId(r.getInstanceId());
        } catch (RuntimeException e) {
            return Multi.createFrom().failure(ComputeErrors.toStatus(e));
        }
        return disks.outgoing(out -> actions.snapshot(id, out));
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> rebuild(RebuildRequest r) {
        return call(() -> {
            if (!r.hasSpec()) {
                throw GrpcErrors.invalidArgument("spec", "is required");
            }
            SpawnRequests.toSpec(r.getSpec());
            actions.requireCapability(Traits.REBUILD);
            GuestSpec spec = network.plug(SpawnRequests.toSpec(images.resolve(r.getSpec())));
            requireEventRoom();
            return response(actions.rebuild(spec));
        });
    }

    @Override
    @Blocking
    public Uni<PrepareIncomingResponse> prepareIncoming(PrepareIncomingRequest r) {
        return call(() -> {
            if (!r.hasSpec()) {
                throw GrpcErrors.invalidArgument("spec", "is required");
            }
            SpawnRequests.toSpec(r.getSpec());
            actions.requireCapability(r.getLive() ? Traits.LIVE_MIGRATE : Traits.MIGRATE);
            GuestSpec spec = SpawnRequests.toSpec(images.resolve(r.getSpec()));
            MigrationEndpoint endpoint = actions.prepareIncoming(spec, r.getLive());
            return PrepareIncomingResponse.newBuilder().setUri(endpoint.uri()).setLive(endpoint.live()).build();
        });
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> migrateLive(MigrateLiveRequest r) {
        return call(() -> {
            String id = SpawnRequests.instanceId(r.getInstanceId());
            if (r.getDestinationUri().isBlank()) {
                throw GrpcErrors.invalidArgument("destination_uri", "is required");
            }
            requireEventRoom();
            return response(actions.migrateLive(id, new MigrationEndpoint(r.getDestinationUri(), true)));
        });
    }

    /** The SHUTDOWN guest's boot disk, flattened, streamed (cold migration). */
    @Override
    public Multi<DataChunk> exportDisk(GuestActionRequest r) {
        String id;
        try {
            id = SpawnRequests.instanceId(r.getInstanceId());
        } catch (RuntimeException e) {
            return Multi.createFrom().failure(ComputeErrors.toStatus(e));
        }
        return disks.outgoing(out -> actions.exportDisk(id, out));
    }

    @Override
    public Uni<ImportDiskResponse> importDisk(Multi<DataChunk> request) {
        return disks.incoming(request, actions::importDisk)
                .map(bytes -> ImportDiskResponse.newBuilder().setBytes(bytes).build());
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> finishIncoming(GuestActionRequest r) {
        return action(r.getInstanceId(), actions::finishIncoming);
    }

    @Override
    @Blocking
    public Uni<io.virga.contracts.compute.v1.ConsoleLog> getConsoleLog(
            io.virga.contracts.compute.v1.ConsoleLogRequest r) {
        return call(() -> {
            String id = SpawnRequests.instanceId(r.getInstanceId());
            java.nio.file.Path log = io.virga.compute.console.ConsoleLogs.serialLog(actions.consoles(id))
                    .orElseThrow(() -> io.grpc.Status.UNIMPLEMENTED
                            .withDescription("the " + id + " guest's driver keeps no serial console log")
                            .asRuntimeException());
            try {
                var tail = io.virga.compute.console.ConsoleLogs.tail(log, (int) Math.min(r.getMaxBytes(),
                        Integer.MAX_VALUE));
                return io.virga.contracts.compute.v1.ConsoleLog.newBuilder()
                        .setData(com.google.protobuf.ByteString.copyFrom(tail.data()))
                        .setTruncated(tail.truncated()).build();
            } catch (java.io.IOException e) {
                throw io.grpc.Status.INTERNAL.withDescription("cannot read the console log of " + id + ": "
                        + e.getMessage()).asRuntimeException();
            }
        });
    }

    /** Relays the guest's VNC server to the caller (see {@link ConsoleRelay}). */
    @Override
    public Multi<io.virga.contracts.compute.v1.ConsoleFrame> graphicalConsole(
            Multi<io.virga.contracts.compute.v1.ConsoleFrame> request) {
        return ConsoleRelay.relay(request, actions::openGraphicalConsole);
    }

    @Override
    @Blocking
    public Uni<ConsolesResponse> getConsoles(GuestActionRequest r) {
        return call(() -> {
            String id = SpawnRequests.instanceId(r.getInstanceId());
            ConsolesResponse.Builder b = ConsolesResponse.newBuilder();
            for (io.virga.hypervisor.ConsoleEndpoint c : actions.consoles(id)) {
                b.addConsoles(ConsoleEndpoint.newBuilder()
                        .setType(c.type() == io.virga.hypervisor.ConsoleEndpoint.Type.VNC
                                ? ConsoleEndpoint.Type.VNC : ConsoleEndpoint.Type.SERIAL)
                        .setHost(c.host() == null ? "" : c.host())
                        .setPort(c.port())
                        .setPath(c.path() == null ? "" : c.path()));
            }
            return b.build();
        });
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> attachVolume(AttachVolumeRequest r) {
        return action(r.getInstanceId(), id -> {
            if (!r.hasDisk()) {
                throw GrpcErrors.invalidArgument("disk", "is required");
            }
            return actions.attachVolume(id, SpawnRequests.disk(r.getDisk(), "disk."));
        });
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> detachVolume(DetachVolumeRequest r) {
        return action(r.getInstanceId(), id -> {
            if (r.getVolumeId().isBlank()) {
                throw GrpcErrors.invalidArgument("volume_id", "is required");
            }
            return actions.detachVolume(id, r.getVolumeId());
        });
    }

    @Override
    @Blocking
    public Uni<GuestActionResponse> volumeResized(VolumeResizedRequest r) {
        return action(r.getInstanceId(), id -> {
            if (r.getVolumeId().isBlank()) {
                throw GrpcErrors.invalidArgument("volume_id", "is required");
            }
            if (r.getSizeGb() < 1 || r.getSizeGb() > SpawnRequests.MAX_DISK_GB) {
                throw GrpcErrors.invalidArgument("size_gb", "must be between 1 and " + SpawnRequests.MAX_DISK_GB
                        + ", got " + Long.toUnsignedString(r.getSizeGb()));
            }
            return actions.volumeResized(id, r.getVolumeId(), r.getSizeGb());
        });
    }

    /** An action on one guest that reports its state afterwards. */
    private Uni<GuestActionResponse> action(String rawId, java.util.function.Function<String, GuestStatus> work) {
        return call(() -> {
            String id = SpawnRequests.instanceId(rawId);
            requireEventRoom();
            return response(work.apply(id));
        });
    }

    private void requireEventRoom() {
        if (!events.hasRoom()) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("compute node " + host.hostName()
                    + " cannot report events now: its event queue is full (Kafka is slow or unreachable); retry later")
                    .asRuntimeException();
        }
    }

    private static <T> Uni<T> call(Supplier<T> body) {
        return Uni.createFrom().item(() -> {
            try {
                return body.get();
            } catch (RuntimeException e) {
                throw ComputeErrors.toStatus(e);
            }
        });
    }

    private static GuestActionResponse response(GuestStatus s) {
        return GuestActionResponse.newBuilder().setGuest(toProto(new GuestView(s.instanceId(), s.state(), s.vcpus(),
                s.ramMb(), s.startedAt()))).build();
    }

    static Guest toProto(GuestView g) {
        return Guest.newBuilder()
                .setInstanceId(g.instanceId())
                .setPowerState(g.state().name())
                .setState(GuestView.eventState(g.state()))
                .setVcpus(g.vcpus())
                .setRamMb(g.ramMb())
                .setStartedAt(g.startedAt() == null ? "" : g.startedAt().toString())
                .build();
    }
}

package io.virga.compute.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.virga.compute.guest.GuestManager;
import io.virga.compute.guest.GuestView;
import io.virga.compute.host.HostIdentity;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.DestroyResponse;
import io.virga.contracts.compute.v1.GetGuestRequest;
import io.virga.contracts.compute.v1.Guest;
import io.virga.contracts.compute.v1.ListGuestsRequest;
import io.virga.contracts.compute.v1.ListGuestsResponse;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.HypervisorException;
import io.virga.platform.grpc.GrpcErrors;
import java.util.concurrent.RejectedExecutionException;

/** {@code virga.compute.v1.ComputeService}: guest lifecycle on this host. */
@GrpcService
public class ComputeGrpcService extends PendingComputeRpcs {
    private final GuestManager guests;
    private final HostIdentity host;

    public ComputeGrpcService(GuestManager guests, HostIdentity host) {
        this.guests = guests;
        this.host = host;
    }

    /** Validates, accepts at once and builds in the background; RUNNING or FAILED follows as an event. */
    @Override
    @Blocking
    public Uni<SpawnResponse> spawn(SpawnRequest request) {
        return Uni.createFrom().item(() -> {
            var spec = SpawnRequests.toSpec(request);
            try {
                guests.spawn(spec);
            } catch (GuestConflictException e) {
                throw GrpcErrors.alreadyExists(e.getMessage());
            } catch (RejectedExecutionException e) {
                throw Status.UNAVAILABLE.withDescription("compute node " + host.hostName() + " is shutting down")
                        .asRuntimeException();
            }
            return SpawnResponse.newBuilder().setAccepted(true).setHostId(host.hostId()).build();
        });
    }

    /** Removes the guest now; idempotent (existed = false for an unknown one). */
    @Override
    @Blocking
    public Uni<DestroyResponse> destroy(DestroyRequest request) {
        return Uni.createFrom().item(() -> {
            String id = SpawnRequests.instanceId(request.getInstanceId());
            try {
                return DestroyResponse.newBuilder().setExisted(guests.destroy(id)).build();
            } catch (HypervisorException | IllegalStateException e) {
                throw Status.UNAVAILABLE.withDescription("cannot destroy " + id + " now: " + e.getMessage())
                        .asRuntimeException();
            }
        });
    }

    @Override
    @Blocking
    public Uni<Guest> getGuest(GetGuestRequest request) {
        return Uni.createFrom().item(() -> {
            String id = SpawnRequests.instanceId(request.getInstanceId());
            return guests.get(id).map(ComputeGrpcService::toProto)
                    .orElseThrow(() -> GrpcErrors.notFound("guest", id));
        });
    }

    @Override
    @Blocking
    public Uni<ListGuestsResponse> listGuests(ListGuestsRequest request) {
        return Uni.createFrom().item(() -> {
            ListGuestsResponse.Builder b = ListGuestsResponse.newBuilder();
            guests.list().stream()
                    .sorted(java.util.Comparator.comparing(GuestView::instanceId))
                    .forEach(g -> b.addGuests(toProto(g)));
            return b.build();
        });
    }

    static Guest toProto(GuestView g) {
        return Guest.newBuilder()
                .setInstanceId(g.instanceId())
                .setPowerState(g.state().name())
                .setVcpus(g.vcpus())
                .setRamMb(g.ramMb())
                .setStartedAt(g.startedAt() == null ? "" : g.startedAt().toString())
                .build();
    }
}

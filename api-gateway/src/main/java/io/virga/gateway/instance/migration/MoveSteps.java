package io.virga.gateway.instance.migration;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.compute.v1.DataChunk;
import io.virga.contracts.compute.v1.GuestActionRequest;
import io.virga.contracts.compute.v1.ImportDiskResponse;
import io.virga.contracts.compute.v1.MigrateLiveRequest;
import io.virga.contracts.compute.v1.PrepareIncomingRequest;
import io.virga.contracts.compute.v1.PrepareIncomingResponse;
import io.virga.contracts.compute.v1.StopRequest;
import io.virga.contracts.events.v1.PowerState;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.TransferClaimRequest;
import io.virga.contracts.scheduler.v1.TransferClaimResponse;
import io.virga.gateway.compute.ChunkPipe;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.FlavorSnapshot;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceStatus;
import io.virga.gateway.instance.action.GuestSpecs;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.instance.flow.PlacementTraits;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forward steps of the moves that the cold and live flows share, and the
 * cold-only ones. Each is idempotent: a claim is keyed by the migration id,
 * PrepareIncoming is idempotent for the same spec, Stop leaves a stopped
 * guest alone, an import overwrites, FinishIncoming of a running guest answers
 * its state.
 */
final class MoveSteps {
    static final String CLAIM_DESTINATION = "claim_destination";
    static final String STOP_SOURCE = "stop_source";
    static final String PREPARE_DESTINATION = "prepare_destination";
    static final String COPY_DISK = "copy_disk";
    static final String FINISH_DESTINATION = "finish_destination";
    static final String MIGRATE_LIVE = "migrate_live";
    static final String TRANSFER_CLAIM = "transfer_claim";
    static final String FINISH = "finish";

    private MoveSteps() {
    }

    /** The guest as the destination gets it: the new flavor, the instance's ports and boot volume. */
    static io.virga.contracts.compute.v1.SpawnRequest spec(Instance i, MoveData d) {
        return GuestSpecs.of(i, d.newFlavor, d.vnis, d.addressing, i.imageId(), GuestSpecs.bootVolume(i));
    }

    /**
     * The scheduler picks and claims the destination for consumer = the
     * migration id (idempotent), never the source, with the new flavor's
     * resources, the same hypervisor type and the move's trait; an admin's
     * requested host is the only candidate. No host fits: compensate, naming why.
     */
    record ClaimDestination(MoveParts p, String next) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return CLAIM_DESTINATION;
        }

        @Override
        public String what() {
            return "claiming a destination host (scheduler-svc)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            Instance i = ctx.resource();
            MoveData d = ctx.data();
            FlavorSnapshot f = d.newFlavor;
            Set<String> traits = new LinkedHashSet<>(PlacementTraits.of(f));
            if (d.trait != null) {
                traits.add(d.trait);
            }
            SelectResponse answer = p.clients.scheduler(p.config.callTimeout()).selectAndClaim(SelectRequest
                    .newBuilder().setConsumerId(d.migrationId).setProjectId(i.projectId())
                    .setResources(Resources.newBuilder().setVcpus(f.vcpus()).setRamMb(f.ramMb())
                            .setDiskGb(f.diskGb()))
                    .addAllRequiredTraits(traits)
                    .setHypervisorType(d.hypervisorType == null ? "" : d.hypervisorType)
                    .addExcludedHosts(d.source.id())
                    .setRequestedHost(d.requestedHost == null ? "" : d.requestedHost)
                    .build());
            if (answer.hasUnschedulable()) {
                return StepResult.compensate("no destination host: " + answer.getUnschedulable().getMessage(),
                        Fault.NO_VALID_HOST);
            }
            Claim claim = answer.getClaim();
            Migration.HostRef dest = new Migration.HostRef(claim.getHostId(), claim.getHostName(),
                    claim.getComputeEndpoint());
            d.dest = dest;
            return StepResult.next(next, "claimed " + dest.name() + " (" + dest.id() + ") for " + d.migrationId,
                    c -> p.migrations.destination(c, d.migrationId, dest));
        }
    }

    /** Cold: the source guest is shut down (its disk is then consistent); a stopped guest is left alone. */
    record StopSource(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return STOP_SOURCE;
        }

        @Override
        public String what() {
            return "stopping the guest on the source (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            // the node's Stop leaves a guest that is already shut down as it is
            p.compute.actions(d.source.endpoint(), p.config.actionTimeout().plusSeconds(60)).stop(StopRequest
                    .newBuilder().setInstanceId(ctx.resource().id()).setGraceSeconds(60).build());
            return StepResult.next(PREPARE_DESTINATION, "stopped the guest on " + d.source.name());
        }
    }

    /** The destination reserves the guest (new flavor) and waits for it (cold: an empty disk; live: a listener). */
    record PrepareDestination(MoveParts p, boolean live) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return PREPARE_DESTINATION;
        }

        @Override
        public String what() {
            return "preparing the destination (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            PrepareIncomingResponse r = p.compute.actions(d.dest.endpoint(), p.config.actionTimeout())
                    .prepareIncoming(PrepareIncomingRequest.newBuilder().setSpec(spec(ctx.resource(), d))
                            .setLive(live).build());
            d.destinationUri = r.getUri();
            return StepResult.next(live ? MIGRATE_LIVE : COPY_DISK, d.dest.name() + " waits for the guest at "
                    + r.getUri());
        }
    }

    /** Cold: the source's boot disk, flattened, streamed into the destination's (ExportDisk → ImportDisk). */
    record CopyDisk(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return COPY_DISK;
        }

        @Override
        public String what() {
            return "copying the disk to the destination (compute-node → compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            String id = ctx.resource().id();
            Iterator<DataChunk> chunks = p.compute.actions(d.source.endpoint(), p.config.diskTransferTimeout())
                    .exportDisk(GuestActionRequest.newBuilder().setInstanceId(id).build());
            boolean[] first = {true};
            ImportDiskResponse r = ChunkPipe.pipe(chunks, c -> {
                if (first[0]) {
                    first[0] = false;
                    return c.toBuilder().setInstanceId(id).build();
                }
                return c;
            }, p.compute.async(d.dest.endpoint(), p.config.diskTransferTimeout())::importDisk,
                    p.config.diskTransferTimeout());
            return StepResult.next(FINISH_DESTINATION, "copied " + r.getBytes() + " bytes from " + d.source.name()
                    + " to " + d.dest.name());
        }
    }

    /**
     * Cold: the destination boots the guest (stopped again if it was STOPPED
     * before); the instance is VERIFY_RESIZE on the destination with the new
     * flavor, the migration {@code finished}. Both claims stay until a confirm or revert.
     */
    record FinishColdDestination(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return FINISH_DESTINATION;
        }

        @Override
        public String what() {
            return "booting the guest on the destination (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            String id = ctx.resource().id();
            var node = p.compute.actions(d.dest.endpoint(), p.config.actionTimeout());
            node.finishIncoming(GuestActionRequest.newBuilder().setInstanceId(id).build());
            if (d.previousStatus == InstanceStatus.STOPPED) {
                node.stop(StopRequest.newBuilder().setInstanceId(id).setGraceSeconds(0).build());
            }
            Migration.HostRef dest = d.dest;
            FlavorSnapshot next = d.newFlavor;
            return StepResult.succeed("the guest runs on " + dest.name() + "; confirm or revert the "
                    + d.kind, InstanceWork.on(p.instances, id, (c, now) -> {
                        p.writer.apply(c, now, InstanceChange.of(now).status(InstanceStatus.VERIFY_RESIZE).task(null)
                                .host(dest.id(), dest.name(), dest.endpoint()));
                        p.instances.setFlavor(c, id, next);
                        p.migrations.move(c, d.migrationId, MigrationStatus.FINISHED, null);
                    }));
        }
    }

    /**
     * Live: the source moves the running guest to the destination and removes
     * its copy. Run again after a crash, the source no longer has the guest
     * (NOT_FOUND): if the destination runs it, the move had happened.
     */
    record MigrateLive(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return MIGRATE_LIVE;
        }

        @Override
        public String what() {
            return "moving the running guest (compute-node → compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            String id = ctx.resource().id();
            try {
                p.compute.actions(d.source.endpoint(), p.config.diskTransferTimeout()).migrateLive(
                        MigrateLiveRequest.newBuilder().setInstanceId(id).setDestinationUri(d.destinationUri)
                                .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND || !runsOn(d.dest.endpoint(), id)) {
                    throw e;
                }
            }
            return StepResult.next(FINISH_DESTINATION, "the guest moved from " + d.source.name() + " to "
                    + d.dest.name());
        }

        private boolean runsOn(String endpoint, String id) {
            try {
                return p.compute.actions(endpoint, p.config.callTimeout()).getGuest(
                        io.virga.contracts.compute.v1.GetGuestRequest.newBuilder().setInstanceId(id).build())
                        .getState() == PowerState.RUNNING;
            } catch (StatusRuntimeException e) {
                return false;
            }
        }
    }

    /** Live: the destination confirms it runs the guest. From here the move is done: no way back. */
    record ConfirmArrival(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return FINISH_DESTINATION;
        }

        @Override
        public String what() {
            return "confirming the guest runs on the destination (compute-node)";
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            p.compute.actions(d.dest.endpoint(), p.config.actionTimeout()).finishIncoming(GuestActionRequest
                    .newBuilder().setInstanceId(ctx.resource().id()).build());
            return StepResult.next(TRANSFER_CLAIM, "the guest runs on " + d.dest.name());
        }
    }

    /**
     * The destination claim (held by the migration) becomes the instance's and
     * the source claim goes: one claim left. Cleanup: retried until the
     * scheduler confirms (the guest already moved). Idempotent (TransferClaim).
     */
    record TransferClaim(MoveParts p, String next) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return TRANSFER_CLAIM;
        }

        @Override
        public String what() {
            return "giving the destination claim to the instance (scheduler-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            TransferClaimResponse r = p.clients.scheduler(p.config.callTimeout()).transferClaim(TransferClaimRequest
                    .newBuilder().setFromConsumerId(d.migrationId).setToConsumerId(ctx.resource().id()).build());
            return StepResult.next(next, r.getTransferred() ? "the claim on " + r.getClaim().getHostName()
                    + " is the instance's; released the one on " + d.source.name()
                    : "already transferred (the instance's claim is on " + r.getClaim().getHostName() + ")");
        }
    }

    /** Live migration and evacuation: the instance is ACTIVE on the destination; the migration {@code completed}. */
    record Finish(MoveParts p) implements Step<Instance, MoveData> {
        @Override
        public String name() {
            return FINISH;
        }

        @Override
        public String what() {
            return "recording the move";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, MoveData> ctx) {
            MoveData d = ctx.data();
            Migration.HostRef dest = d.dest;
            return StepResult.succeed("the instance runs on " + dest.name(), InstanceWork.on(p.instances,
                    ctx.resource().id(), (c, now) -> {
                        p.writer.apply(c, now, InstanceChange.of(now).status(InstanceStatus.ACTIVE).task(null)
                                .fault(null).host(dest.id(), dest.name(), dest.endpoint()));
                        p.migrations.move(c, d.migrationId, MigrationStatus.COMPLETED, null);
                    }));
        }
    }
}

package io.virga.gateway.instance.flow;

import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.clients.ServiceClients;

import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.contracts.storage.v1.DeleteVolumesByOwnerRequest;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;

/**
 * The undo steps shared by create compensation and delete, in the order they
 * run: destroy the guest, release the claim, delete the ports, delete the
 * volumes. Each is idempotent (by instance id: destroy, release-by-consumer,
 * delete-by-device, delete-by-owner) and {@link SagaStep#cleanup()}: retried
 * until it succeeds, so nothing stays allocated.
 */
final class CleanupSteps {
    static final String DESTROY_GUEST = "destroy_guest";
    static final String RELEASE_CLAIM = "release_claim";
    static final String DELETE_PORTS = "delete_ports";
    static final String DELETE_VOLUMES = "delete_volumes";

    private CleanupSteps() {
    }

    /** Destroys the guest on the instance's host, if it has one. */
    static final class DestroyGuest<D> implements Step<Instance, D> {
        private final GuestDestroyer destroyer;

        DestroyGuest(GuestDestroyer destroyer) {
            this.destroyer = destroyer;
        }

        @Override
        public String name() {
            return DESTROY_GUEST;
        }

        @Override
        public String what() {
            return "destroying the guest (compute-node)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, D> ctx) {
            Instance i = ctx.resource();
            if (i.hostEndpoint() == null) {
                return StepResult.next(RELEASE_CLAIM, "no host, no guest");
            }
            GuestDestroyer.Outcome destroyed = destroyer.destroy(ctx, i.hostId(), i.hostName(), i.hostEndpoint());
            return StepResult.next(RELEASE_CLAIM, destroyed.detail(), destroyed.work());
        }
    }

    /** Releases the scheduler claim held for the instance (consumer = instance id). */
    static final class ReleaseClaim<D> implements Step<Instance, D> {
        private final ServiceClients clients;
        private final InstanceFlowConfig config;

        ReleaseClaim(ServiceClients clients, InstanceFlowConfig config) {
            this.clients = clients;
            this.config = config;
        }

        @Override
        public String name() {
            return RELEASE_CLAIM;
        }

        @Override
        public String what() {
            return "releasing the claim (scheduler-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, D> ctx) {
            ReleaseResponse r = clients.scheduler(config.callTimeout()).releaseClaim(ReleaseRequest.newBuilder()
                    .setConsumerId(ctx.resource().id()).build());
            return StepResult.next(DELETE_PORTS, r.getReleased() ? "released the claim on " + r.getHostId()
                    : "no claim held");
        }
    }

    /** Deletes every port whose device is the instance. */
    static final class DeletePorts<D> implements Step<Instance, D> {
        private final ServiceClients clients;
        private final InstanceFlowConfig config;
        private final InstanceRepository instances;

        DeletePorts(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances) {
            this.clients = clients;
            this.config = config;
            this.instances = instances;
        }

        @Override
        public String name() {
            return DELETE_PORTS;
        }

        @Override
        public String what() {
            return "deleting ports (network-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, D> ctx) {
            Instance i = ctx.resource();
            int deleted = clients.network(config.callTimeout()).deletePortsByDevice(DeletePortsByDeviceRequest
                    .newBuilder().setProjectId(i.projectId()).setDeviceId(i.id()).build()).getDeleted();
            return StepResult.next(DELETE_VOLUMES, "deleted " + deleted + " port(s)",
                    InstanceWork.on(instances, i.id(), (c, instance) -> instances.removePorts(c, instance.id())));
        }
    }

    /** Deletes every delete-on-termination volume the instance owns. */
    static final class DeleteVolumes<D> implements Step<Instance, D> {
        private final ServiceClients clients;
        private final InstanceFlowConfig config;
        private final InstanceRepository instances;
        private final String next;

        DeleteVolumes(ServiceClients clients, InstanceFlowConfig config, InstanceRepository instances, String next) {
            this.clients = clients;
            this.config = config;
            this.instances = instances;
            this.next = next;
        }

        @Override
        public String name() {
            return DELETE_VOLUMES;
        }

        @Override
        public String what() {
            return "deleting volumes (storage-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, D> ctx) {
            Instance i = ctx.resource();
            int deleted = clients.storage(config.volumeCallTimeout()).deleteVolumesByOwner(
                    DeleteVolumesByOwnerRequest.newBuilder().setProjectId(i.projectId()).setOwnerId(i.id()).build())
                    .getDeleted();
            return StepResult.next(next, "deleted " + deleted + " volume(s)",
                    InstanceWork.on(instances, i.id(), (c, instance) -> instances.removeVolumes(c, instance.id())));
        }
    }
}

package io.virga.gateway.instance.snapshot;

import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceChange;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.instance.InstanceStateWriter;
import io.virga.gateway.instance.InstanceTask;
import io.virga.gateway.instance.action.RestoreStep;
import io.virga.gateway.instance.flow.InstanceFlow;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.instance.flow.InstanceWork;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import io.virga.gateway.workflow.WorkflowState;
import jakarta.inject.Singleton;

/**
 * Snapshotting an instance ({@code instance.snapshot}; task image_snapshot,
 * the status stays):
 * <pre>
 * upload (node Snapshot stream ──▶ storage CreateImage + UploadImageData) ──▶ finish (task cleared)
 * compensation: delete_image (the half-made image, found by its marker) ──▶ restore (operation FAILED)
 * </pre>
 */
@Singleton
public class SnapshotFlow extends InstanceFlow<SnapshotData> {
    public static final String NAME = "instance.snapshot";
    static final String UPLOAD = "upload";
    static final String FINISH = "finish";
    static final String DELETE_IMAGE = "delete_image";
    static final String RESTORE = "restore";

    public SnapshotFlow(ComputeClients compute, ServiceClients clients, InstanceFlowConfig config,
                        InstanceRepository instances, InstanceStateWriter writer, OperationRepository operations) {
        super(instances, writer);
        SnapshotImages images = new SnapshotImages(clients, config);
        add(new UploadStep(compute, clients, config, images, operations));
        add(new Finish(instances, writer));
        add(new DeleteImage(images));
        add(new RestoreStep<>(instances, writer, operations, d -> d.fault));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<SnapshotData> dataType() {
        return SnapshotData.class;
    }

    @Override
    public String firstStep() {
        return UPLOAD;
    }

    @Override
    public String firstCompensationStep() {
        return DELETE_IMAGE;
    }

    @Override
    protected InstanceTask taskOf(String step, WorkflowState state, Instance instance) {
        return null; // image_snapshot is set when accepted and cleared at the end
    }

    /** The image is ACTIVE: the task is cleared, the status never changed. */
    private record Finish(InstanceRepository instances, InstanceStateWriter writer)
            implements Step<Instance, SnapshotData> {
        @Override
        public String name() {
            return FINISH;
        }

        @Override
        public String what() {
            return "finishing the snapshot";
        }

        @Override
        public StepResult run(StepContext<Instance, SnapshotData> ctx) {
            return StepResult.succeed("snapshot image " + ctx.data().imageId, InstanceWork.on(instances,
                    ctx.resource().id(), (c, now) -> writer.apply(c, now, InstanceChange.of(now).task(null))));
        }
    }

    /** Deletes the image this operation made, if any (cleanup: retried until storage confirms). */
    private record DeleteImage(SnapshotImages images) implements Step<Instance, SnapshotData> {
        @Override
        public String name() {
            return DELETE_IMAGE;
        }

        @Override
        public String what() {
            return "deleting the half-made image (storage-svc)";
        }

        @Override
        public boolean cleanup() {
            return true;
        }

        @Override
        public StepResult run(StepContext<Instance, SnapshotData> ctx) {
            Instance i = ctx.resource();
            String id = images.madeBy(i.projectId(), ctx.operationId()).map(im -> im.getId())
                    .orElse(ctx.data().imageId);
            if (id == null) {
                return StepResult.next(RESTORE, "no image was made");
            }
            images.delete(i.projectId(), id);
            return StepResult.next(RESTORE, "deleted image " + id);
        }
    }
}

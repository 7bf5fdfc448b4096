package io.virga.gateway.instance.snapshot;

import io.virga.contracts.compute.v1.DataChunk;
import io.virga.contracts.compute.v1.SnapshotRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.ImageChunk;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.compute.ChunkPipe;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import io.virga.gateway.operation.OperationRepository;
import io.virga.gateway.workflow.Step;
import io.virga.gateway.workflow.StepContext;
import io.virga.gateway.workflow.StepResult;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Streams the host's Snapshot of the boot disk into a new image in
 * storage-svc, chunk by chunk (the gateway holds a couple of MiB at most).
 * The image is created once the first chunk names the format. Idempotent: an
 * image this operation already made (found by its marker) is reused — an
 * ACTIVE one means the upload finished before a crash; a QUEUED one (storage
 * drops partial data of a failed upload) is uploaded again. The guest keeps
 * its power state (the node's contract). The operation's result names the image.
 */
final class UploadStep implements Step<Instance, SnapshotData> {
    private final ComputeClients compute;
    private final ServiceClients clients;
    private final InstanceFlowConfig config;
    private final SnapshotImages images;
    private final OperationRepository operations;

    UploadStep(ComputeClients compute, ServiceClients clients, InstanceFlowConfig config, SnapshotImages images,
               OperationRepository operations) {
        this.compute = compute;
        this.clients = clients;
        this.config = config;
        this.images = images;
        this.operations = operations;
    }

    @Override
    public String name() {
        return SnapshotFlow.UPLOAD;
    }

    @Override
    public String what() {
        return "streaming the snapshot into an image (compute-node → storage-svc)";
    }

    @Override
    public StepResult run(StepContext<Instance, SnapshotData> ctx) {
        Instance i = ctx.resource();
        if (i.hostEndpoint() == null) {
            return StepResult.compensate("the instance has no host", Fault.STEP_REFUSED);
        }
        String opId = ctx.operationId();
        Optional<Image> made = images.madeBy(i.projectId(), opId);
        Image image;
        if (made.isPresent() && made.get().getStatus().equals("ACTIVE")) {
            image = made.get();
        } else {
            Iterator<DataChunk> chunks = compute.actions(i.hostEndpoint(), config.diskTransferTimeout())
                    .snapshot(SnapshotRequest.newBuilder().setInstanceId(i.id()).build());
            DataChunk first = chunks.next();
            Image target = made.orElseGet(() -> images.create(i, ctx.data().name, first.getFormat(), opId));
            ctx.data().imageId = target.getId();
            ctx.ensureLease();
            image = ChunkPipe.pipe(prepend(first, chunks), c -> chunk(c, c == first, i.projectId(), target.getId()),
                    clients.storageAsync(config.diskTransferTimeout())::uploadImageData,
                    config.diskTransferTimeout());
        }
        ctx.data().imageId = image.getId();
        String imageId = image.getId();
        return StepResult.next(SnapshotFlow.FINISH, "image " + imageId + " " + image.getStatus() + " ("
                + image.getSizeBytes() + " bytes, " + image.getDiskFormat() + ")",
                c -> operations.result(c, opId, Map.of("image_id", imageId)));
    }

    private static ImageChunk chunk(DataChunk c, boolean first, String projectId, String imageId) {
        ImageChunk.Builder b = ImageChunk.newBuilder().setData(c.getData());
        if (first) {
            b.setProjectId(projectId).setImageId(imageId);
        }
        return b.build();
    }

    private static Iterator<DataChunk> prepend(DataChunk first, Iterator<DataChunk> rest) {
        return new Iterator<>() {
            private boolean firstGiven;

            @Override
            public boolean hasNext() {
                return !firstGiven || rest.hasNext();
            }

            @Override
            public DataChunk next() {
                if (!firstGiven) {
                    firstGiven = true;
                    return first;
                }
                if (!rest.hasNext()) {
                    throw new NoSuchElementException();
                }
                return rest.next();
            }
        };
    }

}

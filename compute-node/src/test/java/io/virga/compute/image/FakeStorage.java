package io.virga.compute.image;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.virga.contracts.storage.v1.GetImageRequest;
import io.virga.contracts.storage.v1.Image;
import io.virga.contracts.storage.v1.MutinyStorageServiceGrpc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for storage-svc's GetImage (a service of another module), served by the node under test
 * on its own gRPC port: the images a test puts here, NOT_FOUND for others or another project's private
 * ones. Every other storage RPC answers UNIMPLEMENTED.
 */
@GrpcService
public class FakeStorage extends MutinyStorageServiceGrpc.StorageServiceImplBase {
    static final Map<String, Image> IMAGES = new ConcurrentHashMap<>();

    static void put(Image image) {
        IMAGES.put(image.getId(), image);
    }

    @Override
    public Uni<Image> getImage(GetImageRequest request) {
        Image image = IMAGES.get(request.getId());
        if (image == null || (!image.getVisibility().equals("public") && !image.getProjectId().equals(request.getProjectId()))) {
            return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("image " + request.getId() + " not found")
                    .asRuntimeException());
        }
        return Uni.createFrom().item(image);
    }
}

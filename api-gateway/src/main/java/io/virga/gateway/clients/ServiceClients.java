package io.virga.gateway.clients;

import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.network.v1.NetworkServiceGrpc;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.storage.v1.StorageServiceGrpc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC clients of network-svc, storage-svc and scheduler-svc (config
 * {@code quarkus.grpc.clients.network|storage|scheduler.*}). Every stub handed
 * out carries a deadline.
 */
@ApplicationScoped
public class ServiceClients {
    @GrpcClient("network")
    NetworkServiceGrpc.NetworkServiceBlockingStub network;
    @GrpcClient("storage")
    StorageServiceGrpc.StorageServiceBlockingStub storage;
    @GrpcClient("scheduler")
    SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler;
    @GrpcClient("storage")
    io.grpc.Channel storageChannel;

    public NetworkServiceGrpc.NetworkServiceBlockingStub network(Duration deadline) {
        return network.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public StorageServiceGrpc.StorageServiceBlockingStub storage(Duration deadline) {
        return storage.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The async storage stub, for the client-streaming UploadImageData. */
    public StorageServiceGrpc.StorageServiceStub storageAsync(Duration deadline) {
        return StorageServiceGrpc.newStub(storageChannel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public SchedulerServiceGrpc.SchedulerServiceBlockingStub scheduler(Duration deadline) {
        return scheduler.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}

package io.virga.gateway.compute;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.DestroyRequest;
import io.virga.contracts.compute.v1.DestroyResponse;
import io.virga.contracts.compute.v1.SpawnRequest;
import io.virga.contracts.compute.v1.SpawnResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * gRPC clients of compute nodes, one plaintext channel per endpoint
 * ({@code host:port}), made on first use and shut down with the application.
 * Every call has a deadline ({@link ComputeConfig#callTimeout()}); failures
 * surface as {@link io.grpc.StatusRuntimeException} for the caller to classify.
 */
@ApplicationScoped
public class ComputeClients {
    private final ComputeConfig config;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ComputeClients(ComputeConfig config) {
        this.config = config;
    }

    /** Asks the node to build the guest; idempotent on instance id. The outcome arrives as power-state events. */
    public SpawnResponse spawn(String endpoint, SpawnRequest request) {
        return stub(endpoint).spawn(request);
    }

    /** Stops and removes the guest; idempotent (an unknown guest answers existed = false). */
    public DestroyResponse destroy(String endpoint, String instanceId) {
        return stub(endpoint).destroy(DestroyRequest.newBuilder().setInstanceId(instanceId).build());
    }

    /**
     * The blocking stub of the node at {@code endpoint} with a deadline of
     * {@code deadline} (for the synchronous action RPCs, which return once the
     * driver has done the work: stop, start, reboot, pause, suspend, …).
     */
    public ComputeServiceGrpc.ComputeServiceBlockingStub actions(String endpoint, java.time.Duration deadline) {
        Channel channel = channel(endpoint);
        return ComputeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The async stub of the node at {@code endpoint} (for the client-streaming ImportDisk), with a deadline. */
    public ComputeServiceGrpc.ComputeServiceStub async(String endpoint, java.time.Duration deadline) {
        Channel channel = channel(endpoint);
        return ComputeServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The async stub of the node at {@code endpoint} without a deadline (for long-lived console streams). */
    public ComputeServiceGrpc.ComputeServiceStub streaming(String endpoint) {
        ManagedChannel channel = channels.computeIfAbsent(endpoint,
                e -> ManagedChannelBuilder.forTarget(e).usePlaintext().build());
        return ComputeServiceGrpc.newStub(channel);
    }

    /** The graphical and serial consoles the node offers for the guest now. */
    public io.virga.contracts.compute.v1.ConsolesResponse consoles(String endpoint, String instanceId) {
        return stub(endpoint).getConsoles(io.virga.contracts.compute.v1.GuestActionRequest.newBuilder()
                .setInstanceId(instanceId).build());
    }

    private ComputeServiceGrpc.ComputeServiceBlockingStub stub(String endpoint) {
        Channel channel = channel(endpoint);
        return ComputeServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The tail of the guest's serial console log (at most {@code maxBytes}). */
    public io.virga.contracts.compute.v1.ConsoleLog consoleLog(String endpoint, String instanceId, int maxBytes) {
        return stub(endpoint).getConsoleLog(io.virga.contracts.compute.v1.ConsoleLogRequest.newBuilder()
                .setInstanceId(instanceId).setMaxBytes(maxBytes).build());
    }

    /** The node's channel, made on first use. */
    private Channel channel(String endpoint) {
        return channels.computeIfAbsent(endpoint, e -> ManagedChannelBuilder.forTarget(e).usePlaintext().build());
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}

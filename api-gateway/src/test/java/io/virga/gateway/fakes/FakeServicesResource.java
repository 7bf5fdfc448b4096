package io.virga.gateway.fakes;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts one plain grpc-java server on a free port hosting fake network, storage and scheduler
 * services (and the standard health service), and points the gateway's three gRPC clients at it.
 */
public class FakeServicesResource implements QuarkusTestResourceLifecycleManager {
    private static volatile Fakes current;
    private Server server;

    /** The fakes of the running test application. */
    public static Fakes fakes() {
        return current;
    }

    public record Fakes(FakeNetworkService network, FakeStorageService storage, FakeSchedulerService scheduler) {
    }

    @Override
    public Map<String, String> start() {
        Fakes f = new Fakes(new FakeNetworkService(), new FakeStorageService(), new FakeSchedulerService());
        try {
            server = ServerBuilder.forPort(0).addService(f.network()).addService(f.storage())
                    .addService(f.scheduler()).addService(new ServingHealth()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current = f;
        String port = Integer.toString(server.getPort());
        Map<String, String> config = new java.util.HashMap<>();
        for (String client : new String[] {"network", "storage", "scheduler"}) {
            // in test mode Quarkus dials a client's test-port, not its port
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            config.put("quarkus.grpc.clients." + client + ".port", port);
            config.put("quarkus.grpc.clients." + client + ".test-port", port);
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class ServingHealth extends HealthGrpc.HealthImplBase {
        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
            FakeNetworkService.reply(out, HealthCheckResponse.newBuilder()
                    .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
        }
    }
}

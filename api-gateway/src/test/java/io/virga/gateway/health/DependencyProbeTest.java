package io.virga.gateway.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gRPC reachability probe against real servers (and no server). */
class DependencyProbeTest {

    @Test
    void nobodyListeningIsDown() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertFalse(DependencyProbe.grpc(ch));
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void servingIsUpNotServingIsDownAndNoHealthServiceIsUp() throws Exception {
        assertTrue(probe(health(ServingStatus.SERVING)));
        assertFalse(probe(health(ServingStatus.NOT_SERVING)));
        assertTrue(probe(null), "answers (UNIMPLEMENTED) so it is reachable");
    }

    private static HealthGrpc.HealthImplBase health(ServingStatus status) {
        return new HealthGrpc.HealthImplBase() {
            @Override
            public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> out) {
                out.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
                out.onCompleted();
            }
        };
    }

    private static boolean probe(HealthGrpc.HealthImplBase service) throws Exception {
        ServerBuilder<?> b = ServerBuilder.forPort(0);
        if (service != null) {
            b.addService(service);
        }
        Server server = b.build().start();
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            return DependencyProbe.grpc(ch);
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

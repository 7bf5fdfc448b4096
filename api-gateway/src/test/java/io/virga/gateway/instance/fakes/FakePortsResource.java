package io.virga.gateway.instance.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Points the gateway's network, storage and scheduler gRPC clients at free
 * local ports, where {@link Fakes} listens once a test starts it (the
 * gateway's channels connect lazily, on the first call).
 */
public class FakePortsResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.grpc.clients.network.host", "127.0.0.1",
                "quarkus.grpc.clients.network.port", String.valueOf(freePort()),
                "quarkus.grpc.clients.storage.host", "127.0.0.1",
                "quarkus.grpc.clients.storage.port", String.valueOf(freePort()),
                "quarkus.grpc.clients.scheduler.host", "127.0.0.1",
                "quarkus.grpc.clients.scheduler.port", String.valueOf(freePort()));
    }

    @Override
    public void stop() {
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

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
    /**
     * Sets {@code port} and {@code test-port} of each client: in test launch mode
     * Quarkus dials {@code test-port} (by default the app's own gRPC test port).
     */
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>();
        for (String client : new String[] {"network", "storage", "scheduler"}) {
            String port = String.valueOf(freePort());
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            config.put("quarkus.grpc.clients." + client + ".port", port);
            config.put("quarkus.grpc.clients." + client + ".test-port", port);
        }
        return config;
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

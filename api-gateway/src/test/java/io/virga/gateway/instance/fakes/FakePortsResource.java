package io.virga.gateway.instance.fakes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.virga.devstack.Ports;
import java.util.Map;

/**
 * Points the gateway's network, storage and scheduler gRPC clients at local
 * ports where {@link Fakes} listens once a test starts it (the gateway's
 * channels connect lazily, on the first call). The ports are known before the
 * fakes bind them, so they come from devstack's {@link Ports#allocate()}:
 * outside the ephemeral range, where no outgoing connection can take them.
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
            String port = String.valueOf(Ports.allocate());
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            config.put("quarkus.grpc.clients." + client + ".port", port);
            config.put("quarkus.grpc.clients." + client + ".test-port", port);
        }
        return config;
    }

    @Override
    public void stop() {
    }
}

package io.virga.storage.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-run test settings: a temp data dir (removed afterwards) and a free gRPC
 * port (engineers and CI run several services' tests on one machine at once),
 * which the test client {@code self} dials.
 */
public class StorageTestEnv implements QuarkusTestResourceLifecycleManager {
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("virga-storage-test-");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            return Map.of(
                    "virga.storage.data-dir", dataDir.toString(),
                    "quarkus.grpc.server.test-port", Integer.toString(port),
                    "quarkus.grpc.clients.self.host", "127.0.0.1",
                    "quarkus.grpc.clients.self.port", Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (dataDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.virga.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository checkout the checks read (system property {@code virga.repo.root}, else {@code ..}). */
final class Repo {
    /** The services with a Quarkus application, as named in compose files, charts and images. */
    static final List<String> SERVICES = List.of("api-gateway", "scheduler-svc", "storage-svc", "network-svc",
            "compute-node");

    private Repo() {
    }

    static Path root() {
        Path root = Path.of(System.getProperty("virga.repo.root", "..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("not the Virga checkout (no docker-compose.yml): " + root);
        }
        return root;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

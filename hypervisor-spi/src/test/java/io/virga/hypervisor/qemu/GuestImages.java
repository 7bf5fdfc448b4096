package io.virga.hypervisor.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The project's own guest images for tests: runs {@code scripts/guest-image/build.sh} once per JVM (the
 * script itself skips the work when its cached output is up to date) and hands out the output directory.
 */
public final class GuestImages {
    private static Path built;

    private GuestImages() {
    }

    /** The repository's root: the first ancestor of the working directory holding the build script. */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/guest-image/build.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("scripts/guest-image/build.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** Builds (or finds up to date) the guest images and returns their directory. */
    public static synchronized Path ensureBuilt() throws IOException, InterruptedException {
        if (built == null) {
            built = run(List.of());
        }
        return built;
    }

    /** Runs the build script with {@code args}; returns the directory it printed on its last line. */
    public static Path run(List<String> args) throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/guest-image/build.sh");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(args);
        Path log = Files.createTempFile("guest-image-build", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("guest image build failed: " + out + Files.readString(log));
        }
        Files.deleteIfExists(log);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return Path.of(lines.get(lines.size() - 1));
    }
}

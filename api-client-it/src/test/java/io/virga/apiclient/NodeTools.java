package io.virga.apiclient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code src/test/node} (package.json, its lock, redocly.yaml) copied to {@code target/node} with its npm
 * packages installed by {@code npm ci} from the committed lock, once per lock (a stamp holds the lock's hash).
 * Needs node and npm (scripts/setup.sh installs them), as deploy-checks and DashboardIT do.
 */
final class NodeTools {
    private static Path installed;

    private NodeTools() {
    }

    static synchronized Path installed() {
        if (installed != null) {
            return installed;
        }
        Path src = Path.of("src/test/node");
        Path dir = Path.of("target/node").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            for (String f : List.of("package.json", "package-lock.json", "redocly.yaml")) {
                Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            String lock = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
            Path stamp = dir.resolve("node_modules/.virga-lock-sha256");
            if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(lock)) {
                npmCi(dir);
                Files.writeString(stamp, lock);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        installed = dir;
        return dir;
    }

    private static void npmCi(Path dir) throws IOException {
        Path log = dir.resolve("npm.log");
        try {
            // never inherit: the test JVM's stdout is failsafe's channel
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("npm ci took over 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("npm ci exited " + p.exitValue() + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new IOException("cannot run npm: node and npm are needed (scripts/setup.sh installs them)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

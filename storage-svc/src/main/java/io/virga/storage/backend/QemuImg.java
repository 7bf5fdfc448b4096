package io.virga.storage.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code qemu-img} in a working directory (relative backing file names
 * resolve against it). Every failure is a {@link BackendException} carrying
 * qemu-img's own message.
 */
final class QemuImg {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String binary;
    private final Duration timeout;

    QemuImg(String binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    /** Facts about one image file (not its chain). */
    record Info(long virtualSize, long actualSize, String backingFile, String backingFormat) {
    }

    String run(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary);
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BackendException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BackendException("qemu-img " + args[0] + " took longer than " + timeout);
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new BackendException("qemu-img " + args[0] + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            p.destroyForcibly();
            throw new BackendException("qemu-img " + args[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackendException("qemu-img " + args[0] + " interrupted", e);
        }
    }

    /** {@code qemu-img info -U} (force-share: works while a guest has the file open). */
    Info info(Path file) {
        return info(file, "qcow2");
    }

    /** {@code qemu-img info -U -f format}: the format is never probed from the data. */
    Info info(Path file, String format) {
        String json = run(file.getParent(), "info", "-U", "-f", format, "--output=json", file.getFileName().toString());
        try {
            JsonNode n = JSON.readTree(json);
            return new Info(n.path("virtual-size").asLong(), n.path("actual-size").asLong(),
                    n.hasNonNull("backing-filename") ? n.get("backing-filename").asText() : null,
                    n.hasNonNull("backing-filename-format") ? n.get("backing-filename-format").asText() : null);
        } catch (IOException e) {
            throw new BackendException("qemu-img info " + file + ": unreadable answer", e);
        }
    }
}

package io.virga.compute.driver;

import io.virga.compute.config.ComputeConfig;
import io.virga.hypervisor.HostCapacity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a real host gives its guests: {@code virga.compute.capacity.*} where set, else measured: every CPU
 * the JVM sees, the machine's memory ({@code MemTotal} of {@code /proc/meminfo}) less
 * {@link #RESERVED_RAM_MB} for the host itself, and the free disk of the state directory's filesystem.
 */
final class HostResources {
    static final long RESERVED_RAM_MB = 1024;

    private HostResources() {
    }

    /** @throws IllegalStateException naming the key when a setting is out of range */
    static HostCapacity capacity(ComputeConfig config, Path stateDir) {
        ComputeConfig.Capacity c = config.capacity();
        int vcpus = c.vcpus().orElse(Runtime.getRuntime().availableProcessors());
        long ram = c.ramMb().orElseGet(() -> Math.max(256, memTotalMb() - RESERVED_RAM_MB));
        long disk = c.diskGb().orElseGet(() -> freeDiskGb(stateDir));
        try {
            return new HostCapacity(vcpus, ram, disk);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("virga.compute.capacity: " + e.getMessage(), e);
        }
    }

    private static long memTotalMb() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
            for (String line : lines) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through: the JVM's view
        }
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    private static long freeDiskGb(Path stateDir) {
        try {
            Path existing = stateDir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null ? 0 : Files.getFileStore(existing).getUsableSpace() / (1L << 30);
        } catch (IOException e) {
            return 0;
        }
    }
}

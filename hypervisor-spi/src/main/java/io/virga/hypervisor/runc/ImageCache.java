package io.virga.hypervisor.runc;

import io.virga.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Images unpacked once and shared read-only by the guests made from them: {@code <stateDir>/images/<key>/}
 * holds {@code rootfs/} (the overlay lower layer of every guest of that image) and {@code image.json} (its
 * run config). The key is a hash of the image file's path, size and modification time, so a changed file
 * is unpacked again. Unused images beyond the few newest are pruned when guests are destroyed. An image is unpacked under its own lock (never a driver-wide one) into a temporary
 * directory and renamed into place, so a half-unpacked image is never used.
 */
final class ImageCache {
    /** An unpacked image. */
    record Unpacked(Path rootfs, ImageConfig config) {
    }

    private static final long RECENT_MS = 5 * 60 * 1000;
    private final Path dir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    ImageCache(Path dir) {
        this.dir = dir;
    }

    Unpacked get(Path tarFile) {
        String key = key(tarFile);
        Path entry = dir.resolve(key);
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            if (!Files.isRegularFile(entry.resolve("image.json"))) {
                Path tmp = dir.resolve(key + ".tmp");
                Files2.deleteTree(tmp);
                try {
                    Files.createDirectories(tmp);
                    ImageConfig config = unpackKeepingConfig(tarFile, tmp.resolve("rootfs"), tmp.resolve("scratch"));
                    Files.write(tmp.resolve("image.json"), BundleConfig.JSON.writeValueAsBytes(config));
                    Files2.deleteTree(entry);
                    Files.move(tmp, entry);
                } catch (IOException e) {
                    Files2.deleteTree(tmp);
                    throw new HypervisorException("cannot cache image " + tarFile + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    Files2.deleteTree(tmp);
                    throw e;
                }
            }
            try {
                // marks the image as just used, so prune() leaves it alone while a spawn takes it up
                Files.setLastModifiedTime(entry.resolve("image.json"), java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis()));
                return new Unpacked(entry.resolve("rootfs"),
                        BundleConfig.JSON.readValue(entry.resolve("image.json").toFile(), ImageConfig.class));
            } catch (IOException e) {
                throw new HypervisorException("cannot read cached image " + entry + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Unpacks {@code tarFile} into {@code rootfs}; a plain rootfs tarball that carries
     * {@value BundleWriter#IMAGE_CONFIG} (a snapshot or an exported disk) keeps the run config it names.
     */
    static ImageConfig unpackKeepingConfig(Path tarFile, Path rootfs, Path scratch) {
        ImageConfig config = RootfsUnpacker.unpack(tarFile, rootfs, scratch);
        Path kept = rootfs.resolve(BundleWriter.IMAGE_CONFIG);
        if (config == ImageConfig.NONE && Files.isRegularFile(kept)) {
            try {
                return BundleConfig.JSON.readValue(kept.toFile(), ImageConfig.class);
            } catch (IOException e) {
                throw new HypervisorException("unreadable " + BundleWriter.IMAGE_CONFIG + " in " + tarFile + ": " + e.getMessage(), e);
            }
        }
        return config;
    }

    /**
     * Removes cached images no guest uses ({@code inUse}: the lower layers of the known guests), keeping the
     * {@code keep} most recently used ones (and any used in the last few minutes) so that spawning a popular image again stays cheap.
     */
    void prune(java.util.Set<Path> inUse, int keep) {
        List<Path> unused = new ArrayList<>();
        try (var entries = Files.list(dir)) {
            for (Path e : entries.filter(Files::isDirectory).toList()) {
                if (!e.getFileName().toString().endsWith(".tmp") && !inUse.contains(e.resolve("rootfs"))) {
                    unused.add(e);
                }
            }
        } catch (IOException e) {
            return;
        }
        unused.sort(Comparator.comparing(ImageCache::unpackedAt).reversed());
        long recent = System.currentTimeMillis() - RECENT_MS;
        for (Path e : unused.subList(Math.min(keep, unused.size()), unused.size())) {
            if (unpackedAt(e) > recent) {
                continue;
            }
            synchronized (locks.computeIfAbsent(e.getFileName().toString(), k -> new Object())) {
                Files2.deleteTree(e);
            }
        }
    }

    private static long unpackedAt(Path entry) {
        try {
            return Files.getLastModifiedTime(entry.resolve("image.json")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String key(Path tarFile) {
        try {
            BasicFileAttributes a = Files.readAttributes(tarFile, BasicFileAttributes.class);
            return GuestNetwork.shortHash(tarFile.toAbsolutePath().normalize() + "|" + a.size() + "|"
                    + a.lastModifiedTime().toMillis(), 24);
        } catch (IOException e) {
            throw new HypervisorException("image " + tarFile + " is not readable: " + e.getMessage(), e);
        }
    }
}

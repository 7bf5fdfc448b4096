package io.virga.hypervisor.runc;

import io.virga.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A guest's root filesystem is an overlay: the image's cached, read-only rootfs as the lower layer and the
 * guest's own {@code upper/} as the writable one, mounted on {@code bundle/rootfs}. The shim mounts it
 * before every run (so a boot costs no copy of the image); this class mounts it for host-side reads of a
 * stopped guest (snapshot, export) and unmounts it before the guest's files are removed.
 */
final class RootfsMount {
    private static final Duration BUDGET = Duration.ofSeconds(60);

    private RootfsMount() {
    }

    /** The overlay's mount options for {@code g}; refuses paths overlayfs cannot take. */
    static String options(Guest g) {
        for (Path p : List.of(g.lower(), g.upper(), g.work())) {
            String s = p.toString();
            if (s.contains(",") || s.contains(":") || s.contains("\\")) {
                throw new HypervisorException("overlay paths may not hold ',', ':' or '\\': " + s);
            }
        }
        return "lowerdir=" + g.lower() + ",upperdir=" + g.upper() + ",workdir=" + g.work();
    }

    /** Makes the (empty) upper, work and mount-point directories. */
    static void prepare(Guest g) throws IOException {
        Files.createDirectories(g.upper());
        Files.createDirectories(g.work());
        Files.createDirectories(g.rootfs());
    }

    /** Whether something is mounted on the guest's rootfs (read from /proc/self/mounts, no process). */
    static boolean mounted(Guest g) {
        String target = g.rootfs().toString().replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
                .replace("\n", "\\012");
        try (var lines = Files.lines(Path.of("/proc/self/mounts"))) {
            return lines.anyMatch(l -> {
                String[] f = l.split(" ");
                return f.length > 1 && f[1].equals(target);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new HypervisorException("cannot read /proc/self/mounts: " + e.getMessage(), e);
        }
    }

    /** The overlay options the shim mounts before a run, or {@code ""} when the rootfs is mounted already. */
    static String optionsIfUnmounted(Guest g) {
        return mounted(g) ? "" : options(g);
    }

    /** Mounts the overlay unless it is mounted. */
    static void ensure(Guest g) {
        if (!mounted(g)) {
            Proc.check(BUDGET, "mounting the root filesystem of guest " + g.id(),
                    List.of("mount", "-t", "overlay", "overlay", "-o", options(g), g.rootfs().toString()));
        }
    }

    /** Unmounts the overlay if it is mounted (lazily when busy); idempotent. */
    static void release(Guest g) {
        if (Files.isDirectory(g.rootfs()) && mounted(g)) {
            Proc.Result r = Proc.run(BUDGET, List.of("umount", g.rootfs().toString()));
            if (!r.ok()) {
                Proc.check(BUDGET, "unmounting the root filesystem of guest " + g.id(),
                        List.of("umount", "-l", g.rootfs().toString()));
            }
        }
    }
}

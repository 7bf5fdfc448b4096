package io.virga.hypervisor.runc;

import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.InvalidGuestSpecException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Fills a guest's bundle: the root filesystem (an overlay on the boot disk's cached image, see
 * {@link RootfsMount}), the image's run config kept inside it ({@value #IMAGE_CONFIG}, so that a snapshot or an exported disk runs with the same entrypoint),
 * the user data ({@value #USER_DATA}) and {@code config.json}.
 */
final class BundleWriter {
    static final String IMAGE_CONFIG = "var/lib/virga/image-config.json";
    static final String USER_DATA = "var/lib/virga/user-data";
    private static final Duration TAR_BUDGET = Duration.ofMinutes(30);

    private BundleWriter() {
    }

    /** The TAR image a container spec boots from; throws naming the field when the spec has none. */
    static Path image(GuestSpec spec) {
        if (spec.kind() != GuestKind.CONTAINER) {
            throw new InvalidGuestSpecException("kind", "runc runs containers only, not a " + spec.kind().wireName());
        }
        GuestSpec.Disk boot = spec.bootDisk().orElseThrow(() -> new InvalidGuestSpecException("disks",
                "a container needs a boot disk: a rootfs or OCI image tarball"));
        for (int i = 0; i < spec.disks().size(); i++) {
            if (!spec.disks().get(i).boot()) {
                throw new InvalidGuestSpecException("disks[" + i + "]", "runc attaches no volumes to a container, "
                        + "only its boot disk (root filesystem)");
            }
        }
        DiskConnection c = boot.connection();
        if (c == null || c.path() != null || c.backingFormat() != DiskFormat.TAR) {
            throw new InvalidGuestSpecException("disks[boot].connection", "runc makes a container's root filesystem "
                    + "from a TAR backingPath (rootfs or OCI image tarball); got " + c);
        }
        return Path.of(c.backingPath());
    }

    /**
     * Gives {@code g} a fresh root filesystem on {@code lower} (an unpacked image) with run config {@code config}:
     * an empty writable layer holding only {@value #IMAGE_CONFIG}, so that a snapshot or an exported disk runs
     * with the same entrypoint.
     */
    static void freshRootfs(Guest g, Path lower, ImageConfig config) {
        try {
            RootfsMount.release(g);
            Files2.deleteTree(g.upper());
            Files2.deleteTree(g.work());
            RootfsMount.prepare(g);
            Path kept = g.upper().resolve(IMAGE_CONFIG);
            Files.createDirectories(kept.getParent());
            Files.write(kept, BundleConfig.JSON.writeValueAsBytes(config));
            g.setLower(lower);
            g.setSpec(g.spec(), config);
        } catch (IOException e) {
            throw new HypervisorException("cannot prepare the root filesystem of guest " + g.id() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the spec's user data into the guest's writable layer (executable when it starts with {@code #!}); none removes it. */
    static void writeUserData(GuestSpec spec, Path upper) {
        Path file = upper.resolve(USER_DATA);
        try {
            if (spec.userData().isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, spec.userData(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(isScript(spec) ? "rwx------" : "rw-------"));
        } catch (IOException e) {
            throw new HypervisorException("cannot write the user data of guest " + spec.instanceId() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the driver runs the user data at first boot: a system container whose user data is a script. */
    static boolean runsUserData(GuestSpec spec) {
        return isScript(spec) && BundleConfig.mode(spec) == ContainerMode.SYSTEM;
    }

    private static boolean isScript(GuestSpec spec) {
        return spec.userData().startsWith("#!");
    }

    /** Writes {@code config.json} of {@code g}'s bundle for its current spec and image. */
    static void writeConfig(Guest g, long pidsLimit, String cgroupsPath) {
        GuestSpec spec = g.spec();
        List<String> args = BundleConfig.args(spec, g.image(), g.lower());
        String netns = spec.interfaces().isEmpty() ? null : GuestNetwork.namespacePath(spec.instanceId());
        try {
            Files2.writeAtomically(g.bundle().resolve("config.json"), BundleConfig.JSON.writeValueAsBytes(
                    BundleConfig.document(spec, g.image(), args, netns, pidsLimit, cgroupsPath)));
        } catch (IOException e) {
            throw new HypervisorException("cannot write the bundle of guest " + g.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a TAR of {@code rootfs} (numeric owners) to {@code out}. The guest is frozen or stopped meanwhile;
     * GNU tar's "file changed as we read it" (exit 1) comes from directory times of overlayfs merged
     * directories, not from changes, so it is not reported (a real error still is: exit 2, or any message).
     */
    static void tarRootfs(Path rootfs, OutputStream out, String what) {
        Proc.Result r = Proc.run(TAR_BUDGET, List.of("tar", "-cf", "-", "-C", rootfs.toString(), "--numeric-owner",
                "--warning=no-file-changed", "."), out);
        if (!r.ok() && !(r.exitCode() == 1 && r.output().isBlank())) {
            throw new HypervisorException(what + " failed: tar exited " + r.exitCode() + ": " + r.output());
        }
    }
}

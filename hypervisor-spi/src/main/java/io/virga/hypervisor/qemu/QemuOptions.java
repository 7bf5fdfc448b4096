package io.virga.hypervisor.qemu;

import io.virga.hypervisor.HostCapacity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link QemuHypervisor} runs.
 *
 * @param hostName         the host's name, for messages
 * @param stateDir         where guests' files live ({@code guests/<id>/}); a new driver on the same
 *                         directory adopts the guests found there
 * @param capacity         what the host gives guests
 * @param qemuBinary       the {@code qemu-system-x86_64} executable
 * @param qemuImg          the {@code qemu-img} executable
 * @param accel            the accelerator: {@link Accel#AUTO} picks KVM when {@code /dev/kvm} is usable, else TCG
 * @param migrationAddress the address a live-migration destination listens on (loopback on one host)
 * @param commandTimeout   how long one QMP command or QEMU start may take
 */
public record QemuOptions(String hostName, Path stateDir, HostCapacity capacity, String qemuBinary, String qemuImg,
                          Accel accel, String migrationAddress, Duration commandTimeout) {

    /** The accelerator choice. */
    public enum Accel { AUTO, KVM, TCG }

    public QemuOptions {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(capacity, "capacity");
        qemuBinary = qemuBinary == null ? "qemu-system-x86_64" : qemuBinary;
        qemuImg = qemuImg == null ? "qemu-img" : qemuImg;
        accel = accel == null ? Accel.AUTO : accel;
        migrationAddress = migrationAddress == null ? "127.0.0.1" : migrationAddress;
        commandTimeout = commandTimeout == null ? Duration.ofSeconds(60) : commandTimeout;
    }

    /** Defaults: binaries from the PATH, accelerator picked automatically, migration on loopback. */
    public static QemuOptions of(String hostName, Path stateDir, HostCapacity capacity) {
        return new QemuOptions(hostName, stateDir, capacity, null, null, null, null, null);
    }

    /**
     * Whether KVM is used: asked for, or AUTO, {@code /dev/kvm} is readable and writable and a probe guest
     * really runs under it ({@link KvmProbe}; some nested hosts offer a {@code /dev/kvm} that cannot).
     */
    public boolean kvm() {
        return switch (accel) {
            case KVM -> true;
            case TCG -> false;
            case AUTO -> Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"))
                    && KvmProbe.usable(qemuBinary);
        };
    }

    /** Whether the qemu binary can be found (on the PATH, or at its absolute path). */
    public boolean qemuInstalled() {
        return onPath(qemuBinary) && onPath(qemuImg);
    }

    private static boolean onPath(String exe) {
        if (exe.contains("/")) {
            return Files.isExecutable(Path.of(exe));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}

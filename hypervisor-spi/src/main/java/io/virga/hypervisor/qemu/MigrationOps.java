package io.virga.hypervisor.qemu;

import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The destination side of both migrations. Cold: the destination reserves the guest (BUILDING,
 * {@code incoming}), takes the exported boot disk (a standalone qcow2) as its local boot disk, and boots
 * it on {@link #finishIncoming}. Live ({@link LiveMigration}): the destination reserves the guest and
 * starts its QEMU waiting for the stream; {@link #finishIncoming} runs it once the stream is in.
 */
final class MigrationOps {
    private final QemuRuntime rt;
    private final PowerOps power;
    private final LiveMigration live;

    MigrationOps(QemuRuntime rt, PowerOps power, LiveMigration live) {
        this.rt = rt;
        this.power = power;
        this.live = live;
    }

    MigrationEndpoint prepareIncoming(GuestSpec spec, boolean liveMigration) {
        GuestFiles files = rt.files(spec.instanceId());
        QemuCommandLine.build(rt.options, rt.kvm, spec, java.util.List.of(), files, false, QemuCommandLine.Start.BOOT);
        MigrationEndpoint endpoint = new MigrationEndpoint("qemu-cold://" + rt.options.hostName() + "/" + spec.instanceId(), false);
        QemuGuest g;
        synchronized (rt.books) {
            QemuGuest existing = rt.guests.get(spec.instanceId());
            if (existing != null) {
                MigrationEndpoint prepared = existing.liveEndpoint;
                if (existing.incoming && existing.spec.equals(spec) && (prepared != null) == liveMigration) {
                    return liveMigration ? prepared : endpoint;
                }
                throw new GuestConflictException("guest " + spec.instanceId() + " already exists on " + rt.options.hostName());
            }
            g = new QemuGuest(spec, files, new GuestStatus(spec.instanceId(), PowerState.BUILDING, spec.vcpus(), spec.ramMb(), null));
            g.incoming = true;
            rt.reserve(g);
        }
        g.lock.lock();
        try {
            rt.persist(g);
            if (liveMigration) {
                g.liveEndpoint = live.listen(g);
                return g.liveEndpoint;
            }
            return endpoint;
        } catch (RuntimeException e) {
            rt.terminate(g, Duration.ZERO);
            rt.removeFiles(g);
            rt.release(g);
            throw e;
        } finally {
            g.lock.unlock();
        }
    }

    void importDisk(String id, DiskFormat format, InputStream in) {
        QemuGuest g = incoming(id);
        g.lock.lock();
        try {
            GuestSpec.Disk boot = g.spec.bootDisk().orElseThrow(() -> new GuestConflictException("guest " + id + " has no boot disk"));
            if (boot.connection() == null || boot.connection().path() != null) {
                throw new GuestConflictException("guest " + id + "'s boot disk is a volume, not a local disk to import");
            }
            if (g.liveEndpoint != null) {
                throw new GuestConflictException("guest " + id + " is prepared for a live migration; its disks come with it");
            }
            if (format != DiskFormat.QCOW2) {
                throw new GuestConflictException("the qemu driver imports qcow2 disks, not " + format);
            }
            Path target = g.files.localDisk(g.spec.disks().indexOf(boot));
            Path tmp = target.resolveSibling(target.getFileName() + ".import");
            try {
                Files.createDirectories(g.files.dir());
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new HypervisorException("cannot import the disk of guest " + id + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        } finally {
            g.lock.unlock();
        }
    }

    GuestStatus finishIncoming(String id) {
        QemuGuest g = rt.guest(id);
        g.lock.lock();
        try {
            if (!g.incoming) {
                if (g.state() == PowerState.RUNNING) {
                    return g.status;
                }
                throw new GuestConflictException("guest " + id + " is not a migration destination");
            }
            if (g.liveEndpoint != null) {
                return live.finish(g);
            }
            g.incoming = false;
            try {
                power.boot(g);
            } catch (RuntimeException e) {
                g.incoming = true;
                rt.terminate(g, Duration.ZERO);
                throw e;
            }
            return g.status;
        } finally {
            g.lock.unlock();
        }
    }

    private QemuGuest incoming(String id) {
        QemuGuest g = rt.guest(id);
        if (!g.incoming) {
            throw new GuestConflictException("guest " + id + " is not a prepared migration destination");
        }
        return g;
    }
}

package io.virga.hypervisor.qemu;

import io.virga.hypervisor.DiskBus;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.InvalidGuestSpecException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Disk operations: snapshot (pause, {@code qemu-img convert} the boot disk to a standalone qcow2, resume),
 * rebuild (new boot disk from a new image), hot-plug ({@code blockdev-add} + {@code device_add} of a
 * virtio-blk disk on the PCI root bus, ACPI hot-plug).
 */
final class DiskOps {
    private final QemuRuntime rt;
    private final PowerOps power;

    DiskOps(QemuRuntime rt, PowerOps power) {
        this.rt = rt;
        this.power = power;
    }

    DiskFormat snapshot(String id, OutputStream out) {
        return rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            QemuCommandLine.DiskPlan boot = bootDisk(g);
            boolean running = g.state() == PowerState.RUNNING;
            boolean live = g.state() == PowerState.RUNNING || g.state() == PowerState.PAUSED;
            Path tmp = g.files.dir().resolve("snapshot.tmp.qcow2");
            try {
                if (running) {
                    rt.qmp(g, "stop", null); // drains and flushes the disks: the file is consistent
                }
                try {
                    List<String> args = new ArrayList<>(List.of("convert", "-O", "qcow2"));
                    if (live) {
                        args.add("-U"); // QEMU holds the image's write lock; the paused VM writes nothing
                    }
                    args.addAll(List.of("-f", boot.format().wireName(), boot.path().toString(), tmp.toString()));
                    rt.qemuImg(args.toArray(String[]::new));
                } finally {
                    if (running) {
                        rt.qmp(g, "cont", null);
                    }
                }
                Files.copy(tmp, out);
                out.flush();
                return DiskFormat.QCOW2;
            } catch (IOException e) {
                throw new HypervisorException("snapshot of guest " + id + " failed: " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        });
    }

    /** Writes the SHUTDOWN guest's boot disk, flattened, to {@code out}. */
    DiskFormat exportDisk(String id, OutputStream out) {
        QemuGuest g = rt.guest(id);
        if (g.state() != PowerState.SHUTDOWN) {
            throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a stopped guest's disk is exported");
        }
        return snapshot(id, out);
    }

    static QemuCommandLine.DiskPlan bootDisk(QemuGuest g) {
        GuestSpec.Disk d = g.spec.bootDisk().orElseThrow(() ->
                new GuestConflictException("guest " + g.id + " has no boot disk"));
        return QemuCommandLine.plan(d, g.spec.disks().indexOf(d), g.files);
    }

    GuestStatus rebuild(GuestSpec spec) {
        return rt.locked(spec.instanceId(), () -> {
            QemuGuest g = rt.guest(spec.instanceId());
            GuestSpec old = g.spec;
            if (old.vcpus() != spec.vcpus() || old.ramMb() != spec.ramMb() || !old.interfaces().equals(spec.interfaces())
                    || old.kind() != spec.kind() || old.virtMode() != spec.virtMode()) {
                throw new GuestConflictException("a rebuild of guest " + g.id + " changes its image only, not its vCPUs, "
                        + "RAM, NICs, kind or virt mode");
            }
            QemuCommandLine.disks(spec, g.hotplugged, g.files); // validates the new disks
            rt.terminate(g, Duration.ZERO);
            try {
                Files.deleteIfExists(g.files.memoryState());
                for (int i = 0; i < old.disks().size(); i++) {
                    Files.deleteIfExists(g.files.localDisk(i));
                }
            } catch (IOException e) {
                rt.publish(g, PowerState.SHUTDOWN, g.status.startedAt());
                throw new HypervisorException("cannot remove the old disk of guest " + g.id + ": " + e.getMessage(), e);
            }
            g.spec = spec;
            rt.publish(g, PowerState.SHUTDOWN, g.status.startedAt());
            power.boot(g);
            return g.status;
        });
    }

    void attach(String id, GuestSpec.Disk disk) {
        rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            if (disk.boot()) {
                throw new GuestConflictException("a boot disk is not hot-plugged");
            }
            if (disk.connection() == null || disk.connection().path() == null) {
                throw new InvalidGuestSpecException("connection.path", "a hot-plugged disk must be an existing volume");
            }
            if (disk.connection().bus() != DiskBus.DEFAULT && disk.connection().bus() != DiskBus.VIRTIO) {
                throw new InvalidGuestSpecException("connection.bus", "only virtio disks are hot-plugged, not "
                        + disk.connection().bus());
            }
            boolean known = g.spec.disks().stream().anyMatch(d -> d.volumeId().equals(disk.volumeId()))
                    || g.hotplugged.stream().anyMatch(d -> d.volumeId().equals(disk.volumeId()));
            if (known) {
                return null;
            }
            if (g.state() != PowerState.RUNNING && g.state() != PowerState.SHUTDOWN) {
                throw new GuestConflictException("guest " + id + " is " + g.state() + "; disks attach to a running or stopped guest");
            }
            QemuCommandLine.DiskPlan plan = QemuCommandLine.plan(disk, -1, g.files);
            if (g.state() == PowerState.RUNNING) {
                Map<String, Object> file = Map.of("driver", "file", "filename", plan.path().toString());
                rt.qmp(g, "blockdev-add", Map.of("driver", plan.format().wireName(), "node-name", plan.nodeName(),
                        "file", file));
                try {
                    rt.qmp(g, "device_add", Map.of("driver", "virtio-blk-pci", "drive", plan.nodeName(),
                            "id", plan.deviceId()));
                } catch (RuntimeException e) {
                    rt.qmp(g, "blockdev-del", Map.of("node-name", plan.nodeName()));
                    throw e;
                }
            }
            List<GuestSpec.Disk> next = new ArrayList<>(g.hotplugged);
            next.add(disk);
            g.hotplugged = List.copyOf(next);
            rt.persist(g);
            return null;
        });
    }

    void detach(String id, String volumeId) {
        rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            GuestSpec.Disk disk = g.hotplugged.stream().filter(d -> d.volumeId().equals(volumeId)).findFirst().orElse(null);
            if (disk == null) {
                return null;
            }
            QemuCommandLine.DiskPlan plan = QemuCommandLine.plan(disk, -1, g.files);
            if (g.state() == PowerState.RUNNING || g.state() == PowerState.PAUSED) {
                QmpClient qmp = rt.qmp(g);
                CompletableFuture<?> deleted = qmp.nextEvent("DEVICE_DELETED",
                        d -> plan.deviceId().equals(d.path("device").asText()));
                rt.qmp(g, "device_del", Map.of("id", plan.deviceId()));
                try {
                    deleted.get(rt.options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    deleted.cancel(false);
                    throw new HypervisorException("guest " + id + " did not release volume " + volumeId + " within "
                            + rt.options.commandTimeout() + " (is its OS up?)");
                }
                rt.qmp(g, "blockdev-del", Map.of("node-name", plan.nodeName()));
            }
            List<GuestSpec.Disk> next = new ArrayList<>(g.hotplugged);
            next.remove(disk);
            g.hotplugged = List.copyOf(next);
            rt.persist(g);
            return null;
        });
    }

    void resized(String id, String volumeId, long newSizeGb) {
        rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            List<GuestSpec.Disk> all = new ArrayList<>(g.spec.disks());
            all.addAll(g.hotplugged);
            GuestSpec.Disk disk = all.stream().filter(d -> d.volumeId().equals(volumeId)).findFirst()
                    .orElseThrow(() -> new InvalidGuestSpecException("volumeId", "guest " + id + " has no volume " + volumeId));
            if (g.state() == PowerState.RUNNING || g.state() == PowerState.PAUSED) {
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("node-name", QemuCommandLine.plan(disk, all.indexOf(disk) < g.spec.disks().size()
                        ? g.spec.disks().indexOf(disk) : -1, g.files).nodeName());
                args.put("size", newSizeGb << 30);
                rt.qmp(g, "block_resize", args);
            }
            return null;
        });
    }
}

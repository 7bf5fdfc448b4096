package io.virga.hypervisor.sim;

import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.sim.SimHypervisor.Guest;
import io.virga.hypervisor.sim.SimHypervisor.Incoming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sim's disk capabilities ({@link io.virga.hypervisor.Snapshottable}, {@link io.virga.hypervisor.Rebuildable},
 * {@link io.virga.hypervisor.VolumeHotplug}): the boot disk and hot-plugged volumes live in the guest's stored
 * spec. Works on the guest table of its {@link SimHypervisor}, under its lock.
 */
final class SimDisks {
    private final SimHypervisor sim;

    SimDisks(SimHypervisor sim) {
        this.sim = sim;
    }

    /** Writes {@link SimDiskImage#describe} of the guest; the sim's "image" is RAW text. */
    DiskFormat snapshot(String instanceId, OutputStream out) {
        byte[] image;
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            SimHypervisor.requireNotIn(g, EnumSet.of(PowerState.BUILDING), "snapshot");
            image = SimDiskImage.describe(g.spec());
        }
        SimHypervisor.write(instanceId, image, out);
        return DiskFormat.RAW;
    }

    GuestStatus rebuild(GuestSpec asked) {
        String id = asked.instanceId();
        synchronized (sim.lock) {
            Guest g = sim.require(id);
            SimHypervisor.requireNotIn(g, EnumSet.of(PowerState.BUILDING), "rebuild");
            GuestSpec old = g.spec();
            if (old.vcpus() != asked.vcpus() || old.ramMb() != asked.ramMb() || old.kind() != asked.kind()
                    || !old.interfaces().equals(asked.interfaces())) {
                throw new GuestConflictException("a rebuild of guest " + id + " changes only its image; the spec "
                        + "asks for other vCPUs, RAM, kind or interfaces");
            }
            GuestSpec next = rebuilt(old, asked);
            GuestStatus stopped = g.status().state() == PowerState.SHUTDOWN ? g.status()
                    : sim.move(g, PowerState.SHUTDOWN, g.status().startedAt(), "rebuild (stop)");
            sim.saveOrThrow(next, stopped);
            sim.guests.put(id, new Guest(next, stopped, null, null));
            sim.consoles.append(id, "rebuilt from image " + next.bootDisk().map(GuestSpec.Disk::imageId).orElse("-"));
        }
        sim.bootDelay(id, "rebuild");
        synchronized (sim.lock) {
            Guest g = sim.require(id);
            SimHypervisor.requireIn(g, EnumSet.of(PowerState.SHUTDOWN), "boot the rebuilt");
            return sim.move(g, PowerState.RUNNING, SimHypervisor.now(), "rebuild (boot)");
        }
    }

    /** {@code old} with the boot disk, boot source, container spec and user data of {@code asked}. */
    static GuestSpec rebuilt(GuestSpec old, GuestSpec asked) {
        List<GuestSpec.Disk> disks = new ArrayList<>();
        asked.bootDisk().ifPresent(disks::add);
        old.disks().stream().filter(d -> !d.boot()).forEach(disks::add);
        return new GuestSpec(old.instanceId(), old.name(), old.vcpus(), old.ramMb(), old.diskGb(), old.kind(),
                old.virtMode(), old.interfaces(), disks, asked.userData(), asked.boot(), asked.container());
    }

    void attach(String instanceId, GuestSpec.Disk disk) {
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            SimHypervisor.requireIn(g, EnumSet.of(PowerState.RUNNING, PowerState.SHUTDOWN), "attach a volume to");
            if (disk.boot()) {
                throw new GuestConflictException("volume " + disk.volumeId() + " is a boot disk; it cannot be hot-plugged");
            }
            if (g.spec().disks().stream().anyMatch(d -> d.volumeId().equals(disk.volumeId()))) {
                return;
            }
            List<GuestSpec.Disk> disks = new ArrayList<>(g.spec().disks());
            disks.add(disk);
            replaceDisks(g, disks);
            sim.consoles.append(instanceId, "volume " + disk.volumeId() + " attached (" + disk.sizeGb() + " GB)");
        }
    }

    void detach(String instanceId, String volumeId) {
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            GuestSpec.Disk disk = g.spec().disks().stream().filter(d -> d.volumeId().equals(volumeId))
                    .findFirst().orElse(null);
            if (disk == null) {
                return;
            }
            if (disk.boot()) {
                throw new GuestConflictException("volume " + volumeId + " is the boot disk of guest " + instanceId);
            }
            List<GuestSpec.Disk> disks = new ArrayList<>(g.spec().disks());
            disks.remove(disk);
            replaceDisks(g, disks);
            sim.consoles.append(instanceId, "volume " + volumeId + " detached");
        }
    }

    void resized(String instanceId, String volumeId, long newSizeGb) {
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            List<GuestSpec.Disk> disks = new ArrayList<>(g.spec().disks());
            int i = 0;
            while (i < disks.size() && !disks.get(i).volumeId().equals(volumeId)) {
                i++;
            }
            if (i == disks.size()) {
                throw new GuestConflictException("volume " + volumeId + " is not attached to guest " + instanceId);
            }
            GuestSpec.Disk d = disks.get(i);
            disks.set(i, new GuestSpec.Disk(d.volumeId(), newSizeGb, d.boot(), d.imageId(), d.connection()));
            replaceDisks(g, disks);
            sim.consoles.append(instanceId, "volume " + volumeId + " is now " + newSizeGb + " GB");
        }
    }

    /** Stores {@code g} with other disks. Caller holds the lock. */
    void replaceDisks(Guest g, List<GuestSpec.Disk> disks) {
        GuestSpec s = g.spec();
        GuestSpec next = new GuestSpec(s.instanceId(), s.name(), s.vcpus(), s.ramMb(), s.diskGb(), s.kind(),
                s.virtMode(), s.interfaces(), disks, s.userData(), s.boot(), s.container());
        sim.saveOrThrow(next, g.status());
        sim.guests.put(s.instanceId(), new Guest(next, g.status(), null, null));
    }
}

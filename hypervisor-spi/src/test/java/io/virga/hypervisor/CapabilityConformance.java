package io.virga.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The conformance tests of the optional capabilities (each skipped when the driver lacks it) and of
 * the data-plane contract. Part of {@link HypervisorConformanceTest}.
 */
public abstract class CapabilityConformance extends ConformanceSupport {

    // ---- power control: graceful and hard ----

    @Test
    void gracefulShutdownAndHardRebootFollowThePowerTable() {
        PowerControl power = capability(PowerControl.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        assertEquals(PowerState.SHUTDOWN, power.shutdown(id, Duration.ofSeconds(5)).state());
        assertEquals(PowerState.SHUTDOWN, power.shutdown(id, Duration.ofSeconds(5)).state(), "idempotent");
        assertThrows(GuestConflictException.class, () -> power.reboot(id, true, Duration.ZERO));
        GuestStatus started = power.start(id);
        GuestStatus hard = power.reboot(id, true, Duration.ZERO);
        assertEquals(PowerState.RUNNING, hard.state());
        assertFalse(hard.startedAt().isBefore(started.startedAt()));
        assertEquals(PowerState.RUNNING, power.reboot(id, false, Duration.ofSeconds(30)).state());
        assertThrows(GuestNotFoundException.class, () -> power.shutdown("never-spawned", Duration.ZERO));
    }

    // ---- suspend ----

    @Test
    void suspendAndResumeKeepTheGuestsBootTime() {
        Suspendable suspendable = capability(Suspendable.class);
        String id = newId();
        GuestStatus spawned = hypervisor.spawn(guest(id).build());
        assertEquals(PowerState.SUSPENDED, suspendable.suspend(id).state());
        assertEquals(PowerState.SUSPENDED, hypervisor.status(id).orElseThrow().state());
        assertEquals(PowerState.SUSPENDED, suspendable.suspend(id).state(), "suspend of a suspended guest is a no-op");
        if (hypervisor instanceof PowerControl power) {
            assertThrows(GuestConflictException.class, () -> power.start(id), "a suspended guest is resumed, not started");
        }
        if (hypervisor instanceof Pausable pausable) {
            assertThrows(GuestConflictException.class, () -> pausable.pause(id));
        }
        GuestStatus resumed = suspendable.resumeSuspended(id);
        assertEquals(PowerState.RUNNING, resumed.state());
        assertEquals(spawned.startedAt(), resumed.startedAt(), "resume from suspend does not boot");
        assertEquals(resumed, suspendable.resumeSuspended(id), "resume of a running guest is a no-op");
        assertThrows(GuestNotFoundException.class, () -> suspendable.suspend("never-spawned"));
    }

    @Test
    void aPausedGuestCanBeSuspendedAndAStoppedOneCannot() {
        Suspendable suspendable = capability(Suspendable.class);
        Pausable pausable = capability(Pausable.class);
        PowerControl power = capability(PowerControl.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        pausable.pause(id);
        assertEquals(PowerState.SUSPENDED, suspendable.suspend(id).state());
        assertEquals(PowerState.RUNNING, suspendable.resumeSuspended(id).state());
        power.stop(id);
        assertThrows(GuestConflictException.class, () -> suspendable.suspend(id));
        assertThrows(GuestConflictException.class, () -> suspendable.resumeSuspended(id));
        assertEquals(PowerState.SHUTDOWN, hypervisor.status(id).orElseThrow().state(), "a refused call changes nothing");
    }

    // ---- snapshot ----

    @Test
    void aSnapshotWritesAnImageAndKeepsThePowerState() {
        Snapshottable snapshots = capability(Snapshottable.class);
        String id = newId();
        GuestSpec spec = guest(id).build();
        hypervisor.spawn(spec);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiskFormat format = snapshots.snapshot(id, out);
        assertTrue(out.size() > 0, "a snapshot writes bytes");
        if (spec.kind() == GuestKind.CONTAINER) {
            assertEquals(DiskFormat.TAR, format, "a container's snapshot is a tar of its root filesystem");
        } else {
            assertNotEquals(DiskFormat.TAR, format, "a VM's snapshot is a disk image");
        }
        assertEquals(PowerState.RUNNING, hypervisor.status(id).orElseThrow().state());
        if (hypervisor instanceof Pausable pausable) {
            pausable.pause(id);
            snapshots.snapshot(id, new ByteArrayOutputStream());
            assertEquals(PowerState.PAUSED, hypervisor.status(id).orElseThrow().state(), "a paused guest stays paused");
        }
        assertThrows(GuestNotFoundException.class, () -> snapshots.snapshot("never-spawned", new ByteArrayOutputStream()));
    }

    @Test
    void aContainersSnapshotIsATarOfItsRootFilesystem() {
        Snapshottable snapshots = capability(Snapshottable.class);
        assumeTrue(hypervisor.traits().contains(GuestKind.CONTAINER.trait()), hypervisor.type() + " runs no containers");
        assumeTrue(!hypervisor.type().equals("sim"), "the sim writes a description, not a file system");
        String id = newId();
        hypervisor.spawn(guestOf(id, GuestKind.CONTAINER, VirtMode.FULL).build());
        assertEquals(DiskFormat.TAR, snapshots.snapshot(id, new ByteArrayOutputStream()));
    }

    // ---- rebuild ----

    @Test
    void rebuildBootsTheGuestAgainKeepingItsIdentity() {
        Rebuildable rebuildable = capability(Rebuildable.class);
        String id = newId();
        GuestStatus spawned = hypervisor.spawn(guest(id).build());
        GuestStatus rebuilt = rebuildable.rebuild(guest(id).build());
        assertEquals(PowerState.RUNNING, rebuilt.state());
        assertEquals(spawned.vcpus(), rebuilt.vcpus());
        assertEquals(spawned.ramMb(), rebuilt.ramMb());
        assertFalse(rebuilt.startedAt().isBefore(spawned.startedAt()));
        assertEquals(1, hypervisor.list().size(), "a rebuild makes no second guest");
        assertThrows(GuestConflictException.class, () -> rebuildable.rebuild(guest(id).vcpus(2).build()),
                "a rebuild changes only the image");
        assertThrows(GuestNotFoundException.class, () -> rebuildable.rebuild(guest("never-spawned").build()));
        if (hypervisor instanceof PowerControl power) {
            power.stop(id);
            assertEquals(PowerState.RUNNING, rebuildable.rebuild(guest(id).build()).state(), "a stopped guest too");
        }
    }

    // ---- consoles ----

    @Test
    void consolesAreOnLoopbackOrAHostFile() {
        Consoles consoles = capability(Consoles.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        List<ConsoleEndpoint> list = consoles.consoles(id);
        assertFalse(list.isEmpty(), "a running guest has a console");
        for (ConsoleEndpoint c : list) {
            switch (c.type()) {
                case VNC -> {
                    if (c.host() == null) { // a unix socket on the host: reachable only from the node
                        assertTrue(c.path() != null && Path.of(c.path()).isAbsolute(), "VNC socket path: " + c);
                    } else {
                        assertTrue(c.host().equals("127.0.0.1") || c.host().equals("::1")
                                || c.host().equals("localhost"), "VNC only on loopback: " + c);
                        assertTrue(c.port() > 0, "VNC port: " + c);
                    }
                }
                case SERIAL -> assertTrue(Path.of(c.path()).isAbsolute(), "serial log path: " + c);
            }
        }
        assertThrows(GuestNotFoundException.class, () -> consoles.consoles("never-spawned"));
    }

    // ---- volume hot-plug ----

    @Test
    void volumesAttachAndDetachIdempotently() throws Exception {
        VolumeHotplug hotplug = capability(VolumeHotplug.class);
        String id = newId();
        hypervisor.spawn(guest(id).build());
        GuestSpec.Disk volume = hotplugVolume("vol-" + newId());
        hotplug.attach(id, volume);
        hotplug.attach(id, volume);
        hotplug.resized(id, volume.volumeId(), 2);
        if (!hotUnplugNeedsGuestOs()) {
            hotplug.detach(id, volume.volumeId());
            hotplug.detach(id, volume.volumeId());
        }
        hotplug.detach(id, "vol-never-attached");
        assertEquals(PowerState.RUNNING, hypervisor.status(id).orElseThrow().state());
        GuestSpec.Disk boot = new GuestSpec.Disk("vol-boot", 1, true, null, volume.connection());
        assertThrows(GuestConflictException.class, () -> hotplug.attach(id, boot), "a boot disk is not hot-plugged");
        assertThrows(GuestNotFoundException.class, () -> hotplug.attach("never-spawned", volume));
        if (hypervisor instanceof Pausable pausable) {
            pausable.pause(id);
            GuestSpec.Disk another = hotplugVolume("vol-" + newId());
            assertThrows(GuestConflictException.class, () -> hotplug.attach(id, another), "not while paused");
        }
    }

    // ---- migration ----

    @Test
    void aLiveMigrationMovesARunningGuestToTheOtherHost() throws Exception {
        Migratable source = capability(Migratable.class);
        assumeTrue(source.supportsLive(), hypervisor.type() + " migrates only cold");
        Hypervisor dest = peer();
        Migratable destination = (Migratable) dest;
        String id = newId();
        GuestSpec spec = guest(id).build();
        hypervisor.spawn(spec);
        MigrationEndpoint endpoint = destination.prepareIncoming(spec, true);
        assertTrue(endpoint.live());
        assertEquals(endpoint, destination.prepareIncoming(spec, true), "prepare is idempotent");
        source.migrateTo(id, endpoint);
        assertEquals(Optional.empty(), hypervisor.status(id), "the source's copy is gone");
        GuestStatus there = destination.finishIncoming(id);
        assertEquals(PowerState.RUNNING, there.state());
        assertEquals(PowerState.RUNNING, dest.status(id).orElseThrow().state());
    }

    @Test
    void aColdMigrationCopiesTheStoppedGuestsDisk() throws Exception {
        Migratable source = capability(Migratable.class);
        PowerControl power = capability(PowerControl.class);
        Hypervisor dest = peer();
        Migratable destination = (Migratable) dest;
        String id = newId();
        GuestSpec spec = guest(id).build();
        hypervisor.spawn(spec);
        assertThrows(GuestConflictException.class, () -> source.exportDisk(id, new ByteArrayOutputStream()),
                "only a stopped guest's disk is exported");
        power.stop(id);
        ByteArrayOutputStream disk = new ByteArrayOutputStream();
        DiskFormat format = source.exportDisk(id, disk);
        MigrationEndpoint endpoint = destination.prepareIncoming(spec, false);
        assertFalse(endpoint.live());
        assertEquals(PowerState.BUILDING, dest.status(id).orElseThrow().state(), "waiting for the guest");
        destination.importDisk(id, format, new ByteArrayInputStream(disk.toByteArray()));
        assertEquals(PowerState.RUNNING, destination.finishIncoming(id).state());
        assertEquals(PowerState.SHUTDOWN, hypervisor.status(id).orElseThrow().state(),
                "the source keeps its stopped guest until the move is confirmed");
    }

    @Test
    void preparingAnIncomingGuestReservesItsResources() throws Exception {
        capability(Migratable.class);
        Hypervisor dest = peer();
        long big = dest.capacity().ramMb() * 3 / 4;
        assumeTrue(big >= 1, "capacity too small for this test");
        String id = newId();
        ((Migratable) dest).prepareIncoming(guest(id).ramMb(big).build(), false);
        assertThrows(CapacityExceededException.class, () -> dest.spawn(guest(newId()).ramMb(big).build()));
        assertTrue(dest.destroy(id), "a prepared guest is destroyed like any other");
        assertEquals(PowerState.RUNNING, dest.spawn(guest(newId()).ramMb(big).build()).state());
    }

    @Test
    void aLiveMigrationToANonLiveEndpointIsRefusedAndTheGuestKeepsRunning() throws Exception {
        Migratable source = capability(Migratable.class);
        assumeTrue(source.supportsLive(), hypervisor.type() + " migrates only cold");
        String id = newId();
        hypervisor.spawn(guest(id).build());
        assertThrows(GuestConflictException.class,
                () -> source.migrateTo(id, new MigrationEndpoint("cold://nowhere/" + id, false)));
        assertEquals(PowerState.RUNNING, hypervisor.status(id).orElseThrow().state());
    }

    // ---- the data-plane contract ----

    @Test
    void everyAdvertisedKindAndVirtModeRuns() {
        for (GuestKind kind : GuestKind.values()) {
            if (!hypervisor.traits().contains(kind.trait())) {
                continue;
            }
            for (VirtMode mode : VirtMode.values()) {
                if (!hypervisor.traits().contains(mode.trait())) {
                    continue;
                }
                String id = newId();
                assertEquals(PowerState.RUNNING, hypervisor.spawn(guestOf(id, kind, mode).build()).state(),
                        kind + " in " + mode);
                hypervisor.destroy(id);
            }
        }
    }

    @Test
    void aKindTheHostDoesNotAdvertiseIsRefusedAndLeavesNothing() {
        for (GuestKind kind : GuestKind.values()) {
            if (hypervisor.traits().contains(kind.trait())) {
                continue;
            }
            String id = newId();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> hypervisor.spawn(guestOf(id, kind, VirtMode.PARA).build()));
            assertTrue(e instanceof HypervisorException || e instanceof InvalidGuestSpecException, "refused with " + e);
            assertEquals(Optional.empty(), hypervisor.status(id));
        }
    }

    @Test
    void aGuestWithANicWithoutHostAttachmentRuns() {
        String id = newId();
        GuestSpec spec = guest(id)
                .addInterface(new GuestSpec.NetworkInterface("port-1", "52:54:00:12:34:56", "10.0.0.5", 100))
                .build();
        assertEquals(HostAttachment.NONE, spec.interfaces().get(0).attachment());
        assertEquals(PowerState.RUNNING, hypervisor.spawn(spec).state());
    }

    @Test
    void theDataPlaneRecordsValidateThemselves() {
        assertThrows(InvalidGuestSpecException.class, () -> new DiskConnection(null, DiskFormat.QCOW2, null, null, null),
                "a disk needs a path or a backing file");
        assertThrows(InvalidGuestSpecException.class, () -> new DiskConnection("relative.qcow2", DiskFormat.QCOW2, null,
                null, null));
        assertThrows(InvalidGuestSpecException.class, () -> new DiskConnection(null, DiskFormat.QCOW2, "/img", null, null),
                "a backing file needs its format");
        assertEquals(DiskBus.DEFAULT, DiskConnection.overlayOn("/img.qcow2", DiskFormat.QCOW2).bus());
        assertEquals(DiskFormat.TAR, DiskConnection.overlayOn("/rootfs.tar", DiskFormat.TAR).format());
        assertThrows(InvalidGuestSpecException.class, () -> new HostAttachment(AttachmentType.TAP, null, null, 10, null),
                "an MTU below 68");
        assertThrows(InvalidGuestSpecException.class,
                () -> new HostAttachment(AttachmentType.TAP, "a-bridge-name-too-long", null, 0, null));
        assertThrows(InvalidGuestSpecException.class, () -> new BootSource("vmlinuz", null, ""));
        assertThrows(InvalidGuestSpecException.class, () -> GuestSpec.builder("i-1").kind(GuestKind.CONTAINER)
                .boot(new BootSource("/boot/vmlinuz", null, "")).build(), "a container takes no kernel");
        assertThrows(InvalidGuestSpecException.class, () -> GuestSpec.builder("i-1").kind(GuestKind.VM)
                .container(new ContainerSpec(ContainerMode.APP, List.of("sh"), null)).build(),
                "a VM takes no container spec");
        assertThrows(InvalidGuestSpecException.class, () -> new ContainerSpec(null, null, null));
    }
}

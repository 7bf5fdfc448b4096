package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.ContainerSpec;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.Traits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The runc driver with real containers: modes, limits, user data, adoption, crashes, snapshots, rebuild. */
class RuncHypervisorTest extends RuncFixture {

    @Test
    void appModeRunsOneProcessWithItsEnvAndGoesShutdownWhenItExits() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        Set<String> heard = ConcurrentHashMap.newKeySet();
        d.watch(heard::add);
        String id = newId("app");
        GuestSpec spec = busybox(id, ContainerMode.APP).container(new ContainerSpec(ContainerMode.APP,
                List.of("/bin/sh", "-c", "echo app-says $FOO from pid $$"), Map.of("FOO", "bar"))).build();
        assertEquals(PowerState.RUNNING, d.spawn(spec).state());
        await("the driver to say the app ended", () -> heard.contains(id));
        assertEquals(PowerState.SHUTDOWN, state(d, id), "the notice comes once the end shows");
        assertTrue(log(state, id).contains("app-says bar from pid 1"), log(state, id));
        assertEquals("the container's process exited with code 0", d.status(id).orElseThrow().detail());
    }

    @Test
    void anAppThatFailsIsCrashedAndCanBeStartedAgain() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("fail");
        d.spawn(busybox(id, ContainerMode.APP, "/bin/sh", "-c", "echo run; exit 3").build());
        await("the app to fail", () -> state(d, id) == PowerState.CRASHED);
        assertEquals("the container's process exited with code 3", d.status(id).orElseThrow().detail());
        d.start(id);
        await("the second run to fail", () -> log(state, id).split("run", -1).length == 3
                && state(d, id) == PowerState.CRASHED);
    }

    @Test
    void theFlavorsLimitsAreVisibleInsideAndTheHostnameIsTheName() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("limits");
        String script = "echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max);"
                + " echo quota=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max);"
                + " echo pids=$(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max);"
                + " echo host=$(hostname)";
        d.spawn(busybox(id, ContainerMode.APP, "/bin/sh", "-c", script).vcpus(2).ramMb(80).name("Web Server 1").build());
        await("the app to exit", () -> state(d, id) == PowerState.SHUTDOWN);
        String log = log(state, id);
        assertTrue(log.contains("mem=" + 80L * 1024 * 1024), log);
        assertTrue(log.contains("quota=200000"), log);
        assertTrue(log.contains("pids=1024"), log);
        assertTrue(log.contains("host=web-server-1"), log);
    }

    @Test
    void aSystemContainerRunsItsInitAsPid1AndItsUserDataScript() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("sys");
        String userData = "#!/bin/sh\necho user-data ran as $(id -u) init=$(cat /proc/1/cmdline | tr '\\0' ' ')\n"
                + "echo done > /root/user-data-marker\n";
        d.spawn(busybox(id, ContainerMode.SYSTEM).userData(userData).build());
        awaitLog(state, id, "virga-test-init: ready");
        awaitLog(state, id, "user-data ran as 0 init=/bin/sh /sbin/init");
        Path rootfs = guestDir(state, id).resolve("bundle/rootfs");
        await("the marker", () -> Files.exists(rootfs.resolve("root/user-data-marker")));
        assertEquals(userData, Files.readString(rootfs.resolve("var/lib/virga/user-data")));
        assertEquals(PowerState.RUNNING, state(d, id));
        // a graceful shutdown lets init exit on SIGTERM
        assertEquals(PowerState.SHUTDOWN, d.shutdown(id, java.time.Duration.ofSeconds(20)).state());
        awaitLog(state, id, "virga-test-init: stopping");
        List<ConsoleEndpoint> consoles = d.consoles(id);
        assertEquals(List.of(new ConsoleEndpoint(ConsoleEndpoint.Type.SERIAL, null, 0,
                guestDir(state, id).resolve("console.log").toString())), consoles);
    }

    @Test
    void pauseFreezesTheContainersCgroupAndResumeThawsIt() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("freeze");
        d.spawn(busybox(id, ContainerMode.SYSTEM).build());
        Path v1 = Path.of("/sys/fs/cgroup/freezer", "virga-" + GuestNetwork.shortHash(state.toString(), 8) + "-" + id,
                "freezer.state");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(v1), "a cgroup v1 freezer (this host's layout)");
        assertEquals("THAWED", Files.readString(v1).strip());
        assertEquals(PowerState.PAUSED, d.pause(id).state());
        assertEquals("FROZEN", Files.readString(v1).strip());
        assertEquals(PowerState.RUNNING, d.resume(id).state());
        assertEquals("THAWED", Files.readString(v1).strip());
        d.pause(id);
        assertTrue(d.destroy(id), "a paused guest is destroyed (killed while frozen, then thawed)");
        assertFalse(Files.exists(v1.getParent()), "destroy removes the cgroup");
    }

    @Test
    void aKilledContainerIsReportedCrashed() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("kill");
        d.spawn(busybox(id, ContainerMode.SYSTEM).build());
        long pid = initPid(state, id);
        assertTrue(pid > 1);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await("the crash to be seen", () -> state(d, id) == PowerState.CRASHED);
        assertEquals(PowerState.RUNNING, d.start(id).state());
        assertTrue(initPid(state, id) != pid);
    }

    @Test
    void aNewDriverAdoptsRunningContainersAndReportsThoseThatEnded() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor first = driver(state);
        String alive = newId("alive");
        String killed = newId("killed");
        String done = newId("done");
        GuestStatus aliveStatus = first.spawn(busybox(alive, ContainerMode.SYSTEM).build());
        first.spawn(busybox(killed, ContainerMode.SYSTEM).build());
        first.pause(alive);
        long alivePid = initPid(state, alive);
        // the driver goes away (its JVM objects are dropped); meanwhile one container is killed, one app ends
        ProcessHandle.of(initPid(state, killed)).orElseThrow().destroyForcibly();
        first.spawn(busybox(done, ContainerMode.APP, "/bin/sh", "-c", "sleep 0.2").build());
        await("the app's exit file", () -> Files.exists(guestDir(state, done).resolve("exit")));

        RuncHypervisor second = driver(state);
        assertEquals(aliveStatus.with(PowerState.PAUSED, aliveStatus.startedAt()), second.status(alive).orElseThrow());
        assertEquals(alivePid, initPid(state, alive), "adoption must not restart a container");
        assertEquals(PowerState.CRASHED, state(second, killed));
        assertEquals(PowerState.SHUTDOWN, state(second, done));
        assertEquals(PowerState.RUNNING, second.resume(alive).state());
        assertEquals(3, second.list().size());
    }

    @Test
    void aSpawnThatFailsLeavesNothingBehind() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("bad");
        GuestSpec spec = busybox(id, ContainerMode.APP, "/no/such/program")
                .addInterface(new GuestSpec.NetworkInterface("port-" + id, "02:00:00:00:00:0a", "10.99.0.2", 7,
                        new io.virga.hypervisor.HostAttachment(io.virga.hypervisor.AttachmentType.VETH, null, null, 0, null)))
                .build();
        HypervisorException e = assertThrows(HypervisorException.class, () -> d.spawn(spec));
        assertTrue(e.getMessage().contains("/no/such/program"), e.getMessage());
        assertTrue(d.list().isEmpty());
        assertFalse(Files.exists(guestDir(state, id)), "bundle left behind");
        assertTrue(d.runc().containerIds().isEmpty(), "runc state left behind");
        assertFalse(Files.exists(Path.of(GuestNetwork.namespacePath(id))), "netns left behind");
        assertFalse(Files.exists(Path.of("/sys/class/net", GuestNetwork.hostDevice(spec.interfaces().get(0)))),
                "veth left behind");
    }

    @Test
    void aSnapshotIsATarOfTheRootfsThatBootsAsANewContainer() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("snap");
        d.spawn(busybox(id, ContainerMode.SYSTEM).userData("#!/bin/sh\necho kept > /root/state-file\n").build());
        await("the state file", () -> Files.exists(guestDir(state, id).resolve("bundle/rootfs/root/state-file")));
        Path snapshot = tmp.resolve("snapshot.tar");
        try (var out = Files.newOutputStream(snapshot)) {
            assertEquals(io.virga.hypervisor.DiskFormat.TAR, d.snapshot(id, out));
        }
        assertEquals(PowerState.RUNNING, state(d, id), "a snapshot leaves the guest as it was");
        d.destroy(id);

        String copy = newId("copy");
        d.spawn(container(copy, snapshot, ContainerMode.APP, List.of("/bin/cat", "/root/state-file")).build());
        await("the copy to exit", () -> state(d, copy) == PowerState.SHUTDOWN);
        assertTrue(log(state, copy).contains("kept"), log(state, copy));
    }

    @Test
    void rebuildBootsANewImageKeepingTheGuest() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("rebuild");
        d.spawn(busybox(id, ContainerMode.SYSTEM).build());
        awaitLog(state, id, "virga-test-init: ready");
        Path image = OciTestImages.dockerSave(tmp);
        GuestSpec next = container(id, image, ContainerMode.APP, List.of()).build();
        assertEquals(PowerState.RUNNING, d.rebuild(next).state());
        awaitLog(state, id, "greeting=hello-from-image");
        assertThrows(io.virga.hypervisor.GuestConflictException.class,
                () -> d.rebuild(container(id, image, ContainerMode.APP, List.of()).ramMb(200).build()));
    }

    @Test
    void aStoppedContainerMigratesColdToAnotherDriver() throws Exception {
        Path stateA = tmp.resolve("a");
        Path stateB = tmp.resolve("b");
        RuncHypervisor a = driver(stateA);
        RuncHypervisor b = driver(stateB);
        assertTrue(a.traits().contains(Traits.MIGRATE) && !a.traits().contains(Traits.LIVE_MIGRATE));
        String id = newId("move");
        GuestSpec spec = busybox(id, ContainerMode.SYSTEM).userData("#!/bin/sh\necho moved > /root/moved\n").build();
        a.spawn(spec);
        await("the marker", () -> Files.exists(guestDir(stateA, id).resolve("bundle/rootfs/root/moved")));
        a.stop(id);
        Path disk = tmp.resolve("export.tar");
        try (var out = Files.newOutputStream(disk)) {
            a.exportDisk(id, out);
        }
        assertThrows(io.virga.hypervisor.GuestConflictException.class, () -> b.prepareIncoming(spec, true));
        b.prepareIncoming(spec, false);
        assertEquals(PowerState.BUILDING, state(b, id));
        try (var in = Files.newInputStream(disk)) {
            b.importDisk(id, io.virga.hypervisor.DiskFormat.TAR, in);
        }
        assertEquals(PowerState.RUNNING, b.finishIncoming(id).state());
        assertEquals("moved\n", Files.readString(guestDir(stateB, id).resolve("bundle/rootfs/root/moved")));
        assertTrue(a.destroy(id));
    }
}

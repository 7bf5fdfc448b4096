package io.virga.compute.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.ContainerSpec;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.runc.RuncHypervisor;
import io.virga.hypervisor.runc.RuncOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile on restart with the real {@code runc} driver: a node started again on the same state
 * directory adopts its running container without restarting it, never spawns it twice, and reports
 * one killed behind its back. Needs root, runc and the project's guest images
 * ({@code scripts/guest-image/build.sh}, its {@code rootfs.tar}); skipped where they are missing.
 */
class RuncReconcileTest {
    record Sent(String id, PowerState state, String message) {
    }

    @TempDir
    Path stateDir;

    final List<Sent> sent = new ArrayList<>();
    final ReportedPowerStates reported = new ReportedPowerStates((id, state, message) -> {
        synchronized (sent) {
            sent.add(new Sent(id, state, message));
        }
    });
    final List<GuestManager> managers = new ArrayList<>();
    final List<RuncHypervisor> drivers = new ArrayList<>();
    Path rootfs;

    @BeforeEach
    void needRunc() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "runc needs root");
        assumeTrue(onPath("runc"), "runc is not installed");
        Path images = Path.of(System.getenv().getOrDefault("VIRGA_CACHE",
                System.getProperty("user.home") + "/.cache/virga"), "guest-images");
        assumeTrue(Files.isDirectory(images), "no guest images built (scripts/guest-image/build.sh)");
        try (var dirs = Files.list(images)) {
            rootfs = dirs.map(d -> d.resolve("rootfs.tar")).filter(Files::isRegularFile).findFirst().orElse(null);
        }
        assumeTrue(rootfs != null, "no rootfs.tar among the guest images");
    }

    @AfterEach
    void cleanUp() {
        managers.forEach(m -> m.shutdown(Duration.ofSeconds(5)));
        if (!drivers.isEmpty()) {
            RuncHypervisor last = drivers.get(drivers.size() - 1);
            last.list().forEach(g -> last.destroy(g.instanceId()));
        }
    }

    RuncHypervisor driver() {
        RuncHypervisor d = new RuncHypervisor(RuncOptions.builder().hostName("host-1")
                .capacity(new HostCapacity(2, 2048, 20)).stateDir(stateDir).build());
        drivers.add(d);
        return d;
    }

    GuestManager node(RuncHypervisor driver) {
        GuestManager m = new GuestManager(driver, reported, new SimpleMeterRegistry(), "host-1", 2, 8);
        managers.add(m);
        return m;
    }

    GuestSpec container(String id) {
        return GuestSpec.builder(id).ramMb(64).kind(GuestKind.CONTAINER)
                .addDisk(new GuestSpec.Disk("root-" + id, 1, true, null, DiskConnection.overlayOn(rootfs.toString(), DiskFormat.TAR)))
                .container(new ContainerSpec(ContainerMode.SYSTEM, List.of(), Map.of()))
                .build();
    }

    List<Sent> sentFor(String id) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.id().equals(id)).toList();
        }
    }

    @Test
    void aRestartedNodeAdoptsItsRunningContainerAndReportsOneKilledBehindItsBack() throws Exception {
        String up = "i-adopt" + Long.toString(System.nanoTime() % 100_000, 36);
        String killed = "i-killed" + Long.toString(System.nanoTime() % 100_000, 36);
        RuncHypervisor first = driver();
        GuestStatus before = first.spawn(container(up));
        first.spawn(container(killed));

        // the node process dies; a container is killed while no node watches
        Process kill = new ProcessBuilder("runc", "--root", stateDir.resolve("runc").toString(), "kill", killed, "KILL")
                .redirectErrorStream(true).start();
        assertTrue(kill.waitFor(60, TimeUnit.SECONDS) && kill.exitValue() == 0,
                "runc kill: " + new String(kill.getInputStream().readAllBytes()));
        RuncHypervisor again = awaitStopped(killed);

        GuestManager node = node(again);
        assertEquals(2, node.reportAll());
        assertEquals(List.of(new Sent(up, PowerState.RUNNING, "")), sentFor(up));
        Sent dead = sentFor(killed).get(0);
        assertTrue(dead.state() == PowerState.CRASHED || dead.state() == PowerState.SHUTDOWN, dead.toString());
        assertTrue(dead.message().startsWith("found " + dead.state().name() + " when the node started"), dead.message());

        assertEquals(GuestManager.Accepted.ALREADY_EXISTS, node.spawn(container(up)), "never spawned twice");
        assertEquals(before.startedAt(), again.status(up).orElseThrow().startedAt(), "adopted, not restarted");
        assertEquals(1, sentFor(up).size());
    }

    /** A new driver on the state directory (a restarted node) once it sees {@code id} stopped. */
    private RuncHypervisor awaitStopped(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            RuncHypervisor d = driver();
            var state = d.status(id).orElseThrow().state();
            if (state != io.virga.hypervisor.PowerState.RUNNING || System.nanoTime() > deadline) {
                return d;
            }
            Thread.sleep(200);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

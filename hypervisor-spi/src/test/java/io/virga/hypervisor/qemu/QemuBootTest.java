package io.virga.hypervisor.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.BootSource;
import io.virga.hypervisor.ConsoleEndpoint;
import io.virga.hypervisor.DiskBus;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.VirtMode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Real guests booted from the project's own image under QEMU (TCG here), proving from inside the guest
 * what the driver promises. Each test boots its own guest; two run at a time.
 */
@Execution(ExecutionMode.CONCURRENT)
class QemuBootTest {
    /** Generous: a TCG boot takes ~10 s on an idle machine and several times that on a loaded one. */
    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static Path images;
    private static Path root;

    @BeforeAll
    static void setUp() throws Exception {
        images = GuestImages.ensureBuilt();
        root = Files.createTempDirectory("qemu-boot");
    }

    @AfterAll
    static void tearDown() throws Exception {
        // a failed test leaves its guest: end every QEMU started under this run's directory
        try (var files = Files.walk(root)) {
            for (Path pidFile : files.filter(f -> f.getFileName().toString().equals("qemu.pid")).toList()) {
                GuestFiles gf = GuestFiles.of(pidFile.getParent().getParent().getParent(), pidFile.getParent().getFileName().toString());
                long pid = QemuProcesses.readPid(gf).orElse(0);
                if (QemuProcesses.alive(pid, gf)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        QemuRuntime.deleteTree(root);
    }

    private static QemuHypervisor driver(String name) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        return new QemuHypervisor(QemuOptions.of(name, dir, new HostCapacity(2, 2048, 20)));
    }

    private static GuestSpec spec(String id, VirtMode mode, String userData) {
        int n = SEQ.incrementAndGet();
        return GuestSpec.builder(id).vcpus(1).ramMb(192).virtMode(mode).userData(userData)
                .addInterface(new GuestSpec.NetworkInterface("port-" + id, String.format("52:54:00:00:10:%02x", n),
                        "10.0.0." + (10 + n), 100))
                .addDisk(new GuestSpec.Disk("root-" + id, 1, true, "virga-guest",
                        DiskConnection.overlayOn(images.resolve("disk.qcow2").toString(), DiskFormat.QCOW2)))
                .boot(new BootSource(images.resolve("vmlinuz").toString(), images.resolve("initrd.img").toString(), ""))
                .build();
    }

    private static String id(String what) {
        return what + "-" + Long.toString(System.nanoTime(), 36);
    }

    @Test
    void fullVirtualizationBootsOnEmulatedE1000AndAhciRunsUserDataAndPowersOffGracefully() throws Exception {
        try (QemuHypervisor q = driver("full")) {
            String id = id("full");
            String script = "#!/bin/sh\necho virga-user-data-marker-$(cat /run/virga/id)\n";
            assertEquals(PowerState.RUNNING, q.spawn(spec(id, VirtMode.FULL, script)).state());
            String ready = q.awaitReady(id, BOOT);
            assertTrue(ready.contains("nic=e1000") && ready.contains("disk=ahci"), ready);
            assertTrue(ready.contains("ip=10.0.0."), ready);
            q.awaitConsoleLine(id, "virga-user-data-marker-" + id, BOOT);
            awaitAgent(q, id, "devices", a -> a.equals("devices nic=e1000 disk=ahci"));

            List<ConsoleEndpoint> consoles = q.consoles(id);
            ConsoleEndpoint vnc = consoles.stream().filter(c -> c.type() == ConsoleEndpoint.Type.VNC).findFirst().orElseThrow();
            assertTrue(vnc.path() != null && vnc.path().endsWith("vnc.sock") && vnc.port() == 0, consoles.toString());
            try (var ch = q.openGraphicalConsole(id)) {
                java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(12);
                while (hello.hasRemaining() && ch.read(hello) >= 0) {
                    // the server speaks first: "RFB 003.008\n"
                }
                assertEquals("RFB 003.008\n", new String(hello.array(), StandardCharsets.US_ASCII),
                        "VNC server greets with RFB over the guest's unix socket");
            }

            assertEquals(PowerState.SHUTDOWN, q.shutdown(id, BOOT).state());
            q.awaitConsoleLine(id, "VIRGA-SHUTDOWN instance=" + id, Duration.ofSeconds(5));
            assertTrue(q.destroy(id));
        }
    }

    @Test
    void paravirtualizationBootsOnVirtioAndSurvivesPauseSuspendSnapshotAndHotplug() throws Exception {
        try (QemuHypervisor q = driver("para")) {
            String id = id("para");
            String script = "#!/bin/sh\necho snap-$(cat /run/virga/id) > /data/virga/marker-snap\nsync\necho marker-written\n";
            q.spawn(spec(id, VirtMode.PARA, script));
            String ready = q.awaitReady(id, BOOT);
            assertTrue(ready.contains("nic=virtio_net") && ready.contains("disk=virtio_blk"), ready);
            q.awaitConsoleLine(id, "marker-written", BOOT);
            assertEquals("pong instance=" + id, q.agent(id, "ping", BOOT));

            assertEquals(PowerState.PAUSED, q.pause(id).state());
            assertEquals(PowerState.RUNNING, q.resume(id).state());

            double before = uptime(q, id);
            assertEquals(PowerState.SUSPENDED, q.suspend(id).state());
            assertEquals(0, q.pid(id));
            assertEquals(PowerState.RUNNING, q.resumeSuspended(id).state());
            assertTrue(uptime(q, id) >= before, "resumed from saved memory, not rebooted");

            Path snap = root.resolve(id + ".qcow2");
            try (OutputStream out = Files.newOutputStream(snap)) {
                assertEquals(DiskFormat.QCOW2, q.snapshot(id, out));
            }
            assertEquals(PowerState.RUNNING, q.status(id).orElseThrow().state());
            String info = run("qemu-img", "info", snap.toString());
            assertFalse(info.contains("backing file"), info);
            Path raw = root.resolve(id + ".raw");
            run("qemu-img", "convert", "-O", "raw", snap.toString(), raw.toString());
            assertTrue(run("debugfs", "-R", "cat /virga/marker-snap", raw.toString()).contains("snap-" + id),
                    "the snapshot holds what the guest wrote");

            Path vol = root.resolve(id + "-vol.raw");
            run("qemu-img", "create", "-f", "raw", vol.toString(), "16M");
            GuestSpec.Disk extra = new GuestSpec.Disk("vol-" + id, 1, false, null,
                    new DiskConnection(vol.toString(), DiskFormat.RAW, null, null, DiskBus.VIRTIO));
            q.attach(id, extra);
            awaitAgent(q, id, "disks", a -> a.contains("vdb:32768"));
            run("truncate", "-s", "1G", vol.toString());
            q.resized(id, "vol-" + id, 1);
            awaitAgent(q, id, "disks", a -> a.contains("vdb:2097152"));
            q.detach(id, "vol-" + id);
            awaitAgent(q, id, "disks", a -> !a.contains("vdb"));
            assertTrue(q.destroy(id));
            assertTrue(Files.exists(vol), "detach and destroy never delete a volume");
        }
    }

    @Test
    void aNewDriverAdoptsARunningGuestAndAKilledQemuIsReportedCrashed() throws Exception {
        String id = id("adopt");
        QemuHypervisor first = driver("adopt");
        first.spawn(spec(id, VirtMode.HYBRID, ""));
        String ready = first.awaitReady(id, BOOT);
        assertTrue(ready.contains("nic=virtio_net"), ready);
        long pid = first.pid(id);
        var before = first.status(id).orElseThrow();
        first.close(); // as if the node's process ended: the guest keeps running

        try (QemuHypervisor second = driver("adopt")) {
            assertEquals(before, second.status(id).orElseThrow(), "adopted as it was");
            assertEquals(pid, second.pid(id), "the same QEMU process, not a restart");
            assertEquals("pong instance=" + id, second.agent(id, "ping", BOOT));
            assertEquals(1, countLines(second.serialLog(id), "VIRGA-READY instance=" + id), "booted once only");

            Set<String> heard = ConcurrentHashMap.newKeySet();
            second.watch(heard::add);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!(heard.contains(id) && second.status(id).orElseThrow().state() == PowerState.CRASHED)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(heard.contains(id), "the driver said the guest changed by itself");
            assertEquals(PowerState.CRASHED, second.status(id).orElseThrow().state());
            assertEquals(PowerState.RUNNING, second.start(id).state(), "a crashed guest starts again");
            assertNotEquals(pid, second.pid(id));
            assertTrue(second.destroy(id));
        }
    }

    @Test
    void aLiveMigrationMovesARunningGuestAndItsDiskToAnotherDriverWithoutARestart() throws Exception {
        try (QemuHypervisor source = driver("live-src"); QemuHypervisor destination = driver("live-dst")) {
            String id = id("live");
            String script = "#!/bin/sh\necho live-$(cat /run/virga/id) > /data/virga/marker-live\nsync\necho marker-written\n";
            GuestSpec spec = spec(id, VirtMode.PARA, script);
            source.spawn(spec);
            source.awaitReady(id, BOOT);
            source.awaitConsoleLine(id, "marker-written", BOOT);
            double before = uptime(source, id);
            long sourcePid = source.pid(id);

            MigrationEndpoint endpoint = destination.prepareIncoming(spec, true);
            assertTrue(endpoint.live() && endpoint.uri().startsWith("qemu-live://127.0.0.1:"), endpoint.toString());
            source.migrateTo(id, endpoint);
            assertEquals(Optional.empty(), source.status(id), "the source no longer has it");
            assertFalse(running(sourcePid), "the source QEMU is gone");
            assertEquals(PowerState.RUNNING, destination.finishIncoming(id).state());

            assertEquals("pong instance=" + id, destination.agent(id, "ping", BOOT), "the guest answers on the destination");
            assertTrue(uptime(destination, id) >= before, "the same running guest, not a reboot");
            Path snap = root.resolve(id + "-moved.qcow2");
            try (OutputStream out = Files.newOutputStream(snap)) {
                destination.snapshot(id, out);
            }
            Path raw = root.resolve(id + "-moved.raw");
            run("qemu-img", "convert", "-O", "raw", snap.toString(), raw.toString());
            assertTrue(run("debugfs", "-R", "cat /virga/marker-live", raw.toString()).contains("live-" + id),
                    "the destination's disk holds what the guest wrote on the source");
            assertTrue(destination.destroy(id));
        }
    }

    /** Whether {@code pid} runs (a zombie left for a busy init to reap does not). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static double uptime(QemuHypervisor q, String id) {
        String a = q.agent(id, "uptime", BOOT);
        return Double.parseDouble(a.substring("uptime ".length()).trim());
    }

    private static void awaitAgent(QemuHypervisor q, String id, String cmd, java.util.function.Predicate<String> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + BOOT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = q.agent(id, cmd, BOOT);
            if (ok.test(last)) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("agent '" + cmd + "' answered " + last);
    }

    private static long countLines(Path log, String text) throws Exception {
        return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains(text)).count();
    }

    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", argv));
        assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
        return out;
    }
}

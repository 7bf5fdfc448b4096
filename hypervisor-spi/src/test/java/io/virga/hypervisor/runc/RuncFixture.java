package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.ContainerSpec;
import io.virga.hypervisor.DiskConnection;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.PowerState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the runc driver tests: drivers on temp state dirs, specs, waiting, clean-up. */
abstract class RuncFixture {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final Duration BUDGET = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** The newest driver of each state directory (an older one's view is stale once a newer one acts). */
    private final Map<Path, RuncHypervisor> drivers = new java.util.LinkedHashMap<>();

    @BeforeEach
    void needRunc() throws Exception {
        assumeTrue(TestImages.runcUsable(), "runc, busybox and root are needed");
        TestImages.busyboxRootfsTar();
    }

    @AfterEach
    void destroyEverything() {
        for (RuncHypervisor d : drivers.values()) {
            for (GuestStatus g : d.list()) {
                d.destroy(g.instanceId());
            }
        }
    }

    /** A driver on {@code stateDir} (remembered for clean-up). */
    RuncHypervisor driver(Path stateDir) {
        RuncHypervisor d = new RuncHypervisor(RuncOptions.builder().hostName("test-host")
                .capacity(new HostCapacity(2, 2048, 20)).stateDir(stateDir).build());
        drivers.put(stateDir, d);
        return d;
    }

    static String newId(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** A container spec booting {@code image} (a TAR) in {@code mode}, running {@code command} (empty: image's). */
    static GuestSpec.Builder container(String id, Path image, ContainerMode mode, List<String> command) {
        return GuestSpec.builder(id).name("test " + id).kind(GuestKind.CONTAINER).vcpus(1).ramMb(96)
                .addDisk(new GuestSpec.Disk("root-" + id, 1, true, null,
                        DiskConnection.overlayOn(image.toString(), DiskFormat.TAR)))
                .container(new ContainerSpec(mode, command, Map.of()));
    }

    static GuestSpec.Builder busybox(String id, ContainerMode mode, String... command) throws Exception {
        return container(id, TestImages.busyboxRootfsTar(), mode, List.of(command));
    }

    static Path guestDir(Path stateDir, String id) {
        return stateDir.resolve("guests").resolve(id);
    }

    static String log(Path stateDir, String id) {
        return TestImages.read(guestDir(stateDir, id).resolve("console.log"));
    }

    static PowerState state(RuncHypervisor d, String id) {
        return d.status(id).orElseThrow().state();
    }

    /** Waits up to {@link #BUDGET} for {@code condition}, failing with {@code what} and the guest's log. */
    static void await(String what, BooleanSupplier condition) {
        if (!GuestRuntime.waitFor(BUDGET, condition)) {
            fail("waited " + BUDGET + " for " + what);
        }
    }

    static void awaitLog(Path stateDir, String id, String text) {
        if (!GuestRuntime.waitFor(BUDGET, () -> log(stateDir, id).contains(text))) {
            fail("waited " + BUDGET + " for '" + text + "' in the log of " + id + ": " + log(stateDir, id));
        }
    }

    static long initPid(Path stateDir, String id) {
        return GuestRuntime.readLong(guestDir(stateDir, id).resolve("init.pid"));
    }
}

package io.virga.hypervisor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The hooks and helpers of the conformance suite ({@link HypervisorConformanceTest}): a driver's test
 * implements {@link #createHypervisor()} and, where its guests need more than the defaults (an image, a
 * kernel, a root filesystem), overrides {@link #guest(String)} and {@link #guestOf(String, GuestKind, VirtMode)}.
 * Migration tests need a second driver of the same type: {@link #createPeerHypervisor()}.
 */
public abstract class ConformanceSupport {
    private static final AtomicInteger SEQ = new AtomicInteger();

    protected Hypervisor hypervisor;

    /** A new driver with no guests. Called before each test. */
    protected abstract Hypervisor createHypervisor() throws Exception;

    /** Releases what {@link #createHypervisor()} made beyond guests (processes, files). Called after each test. */
    protected void disposeHypervisor(Hypervisor driver) throws Exception {
    }

    /** A builder of a small guest this driver can run: 1 vCPU, a small share of RAM, no local disk. */
    protected GuestSpec.Builder guest(String instanceId) {
        long ram = Math.max(1, Math.min(128, hypervisor.capacity().ramMb() / (4L * hypervisor.capacity().vcpus())));
        return GuestSpec.builder(instanceId).name("conformance " + instanceId).vcpus(1).ramMb(ram).diskGb(0);
    }

    /** A fresh instance id for this run. */
    protected static String newId() {
        return "conf-" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    }

    @BeforeEach
    void createDriver() throws Exception {
        hypervisor = createHypervisor();
        assertTrue(hypervisor.list().isEmpty(), "a new driver must start without guests");
    }

    @AfterEach
    void destroyGuestsAndDriver() throws Exception {
        if (hypervisor != null) {
            for (GuestStatus g : hypervisor.list()) {
                hypervisor.destroy(g.instanceId());
            }
            disposeHypervisor(hypervisor);
        }
    }

    /**
     * A builder of a guest of {@code kind} in {@code mode} this driver can run. The default is
     * {@link #guest(String)} of that kind and mode, and a container runs {@link ContainerMode#SYSTEM}.
     */
    protected GuestSpec.Builder guestOf(String instanceId, GuestKind kind, VirtMode mode) {
        GuestSpec.Builder b = guest(instanceId).kind(kind).virtMode(mode);
        if (kind == GuestKind.CONTAINER) {
            b.container(new ContainerSpec(ContainerMode.SYSTEM, List.of(), java.util.Map.of()));
        }
        return b;
    }

    /**
     * A second driver of the same type, with no guests, that guests can migrate to (another host), or
     * null when the driver cannot make one here: the migration tests are then skipped. Disposed with
     * {@link #disposeHypervisor}.
     */
    protected Hypervisor createPeerHypervisor() throws Exception {
        return null;
    }

    /**
     * A volume that can be hot-plugged: by default a new sparse 1 GiB RAW file in a temporary directory,
     * removed after the test.
     */
    /**
     * Whether a hot-unplug needs the guest's OS to release the device (PCI hot-unplug through ACPI, as on
     * QEMU): the conformance guests of such a driver run no OS, so the suite checks attach there and
     * leaves detach to the driver's own tests with a booted guest. Default false.
     */
    protected boolean hotUnplugNeedsGuestOs() {
        return false;
    }

    protected GuestSpec.Disk hotplugVolume(String volumeId) throws IOException {
        if (volumeDir == null) {
            volumeDir = Files.createTempDirectory("virga-conformance-volumes");
        }
        Path file = volumeDir.resolve(volumeId + ".raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1L << 30);
        }
        return new GuestSpec.Disk(volumeId, 1, false, null,
                new DiskConnection(file.toString(), DiskFormat.RAW, null, null, DiskBus.DEFAULT));
    }

    private Path volumeDir;
    private final List<Hypervisor> peers = new ArrayList<>();

    /** {@link #createPeerHypervisor()}, or the test is skipped when there is none; cleaned up after the test. */
    protected Hypervisor peer() throws Exception {
        Hypervisor peer = createPeerHypervisor();
        assumeTrue(peer != null, hypervisor.type() + ": no second host to migrate to in this test");
        peers.add(peer);
        return peer;
    }

    @AfterEach
    void disposePeersAndVolumes() throws Exception {
        for (Hypervisor p : peers) {
            for (GuestStatus g : p.list()) {
                p.destroy(g.instanceId());
            }
            disposeHypervisor(p);
        }
        peers.clear();
        if (volumeDir != null) {
            try (var files = Files.list(volumeDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(volumeDir);
            volumeDir = null;
        }
    }

    /** The driver as {@code type}, or the test is skipped when the driver lacks that capability. */
    protected <T> T capability(Class<T> type) {
        assumeTrue(type.isInstance(hypervisor), hypervisor.type() + " does not implement " + type.getSimpleName());
        return type.cast(hypervisor);
    }

    /** A task run by {@link #runConcurrently}. */
    protected interface Attempt<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code count} attempts at once (released together) and returns their results in order. */
    protected static <T> List<T> runConcurrently(int count, Attempt<T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> task = () -> {
                    go.await();
                    return attempt.run(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

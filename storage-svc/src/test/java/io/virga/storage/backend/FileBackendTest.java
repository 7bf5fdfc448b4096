package io.virga.storage.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.storage.backend.VolumeBackend.VolumeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file backend on real qcow2 files: qemu-img builds them, qemu-io writes and checks the guest-visible bytes. */
class FileBackendTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path root;

    FileBackend backend;
    QemuImg qemuImg;

    @BeforeEach
    void setUp() {
        backend = new FileBackend(root.resolve("volumes"), "qemu-img", Duration.ofMinutes(2));
        qemuImg = new QemuImg("qemu-img", Duration.ofMinutes(2));
    }

    private Path disk(String volumeId) {
        return backend.locate(volumeId).path();
    }

    /** Writes {@code pattern} over 64 KiB at {@code offset} of a qcow2 file, as a guest would. */
    static void write(Path qcow2, int pattern, long offset) {
        String out = qemuIo(qcow2, "write -P " + pattern + " " + offset + " 64k");
        assertTrue(out.contains("wrote 65536/65536"), out);
    }

    /** True when the 64 KiB at {@code offset} all hold {@code pattern}. */
    static boolean holds(Path qcow2, int pattern, long offset) {
        String out = qemuIo(qcow2, "read -P " + pattern + " " + offset + " 64k");
        return out.contains("read 65536/65536") && !out.contains("failed");
    }

    static String qemuIo(Path qcow2, String command) {
        try {
            Process p = new ProcessBuilder("qemu-io", "-f", "qcow2", "-c", command, qcow2.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aBlankVolumeIsAThinQcow2OfItsSize() {
        backend.create("v-blank1", 3, new VolumeSource.Blank());
        QemuImg.Info info = qemuImg.info(disk("v-blank1"));
        assertEquals(3 * GIB, info.virtualSize());
        assertNull(info.backingFile());
        assertTrue(backend.allocatedBytes("v-blank1") < 10 * 1024 * 1024, "thin");
        assertEquals(Set.of("v-blank1"), backend.volumeIds());
        backend.create("v-blank1", 3, new VolumeSource.Blank());
        assertEquals(3 * GIB, qemuImg.info(disk("v-blank1")).virtualSize());
    }

    @Test
    void aVolumeFromAnImageIsACopyOnWriteOverlayAndTheImageStaysUntouched() throws Exception {
        Path image = root.resolve("image.qcow2");
        qemuImg.run(root, "create", "-q", "-f", "qcow2", image.toString(), "1G");
        write(image, 0x41, 0);
        byte[] before = Files.readAllBytes(image);

        backend.create("v-fromimg", 2, new VolumeSource.Image(image, "qcow2"));
        QemuImg.Info info = qemuImg.info(disk("v-fromimg"));
        assertEquals(image.toAbsolutePath().toString(), info.backingFile());
        assertEquals(2 * GIB, info.virtualSize());
        assertTrue(holds(disk("v-fromimg"), 0x41, 0));
        write(disk("v-fromimg"), 0x42, 0);
        assertTrue(holds(disk("v-fromimg"), 0x42, 0));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(image)), "the image is read-only");

        BackendException small = assertThrows(BackendException.class,
                () -> backend.create("v-toosmall", 0, new VolumeSource.Image(image, "qcow2")));
        assertTrue(small.getMessage().contains("virtual size"), small.getMessage());
        assertFalse(backend.volumeIds().contains("v-toosmall"), "nothing left behind");
    }

    @Test
    void clonesAndVolumesFromSnapshotsAreIndependentCopies() {
        backend.create("v-src", 1, new VolumeSource.Blank());
        write(disk("v-src"), 0x11, 0);
        backend.createSnapshot("v-src", "snap-one", List.of());
        write(disk("v-src"), 0x22, 0);

        backend.create("v-clone", 2, new VolumeSource.Clone("v-src"));
        backend.create("v-fromsnap", 1, new VolumeSource.Snapshot("v-src", "snap-one"));
        assertTrue(holds(disk("v-clone"), 0x22, 0));
        assertTrue(holds(disk("v-fromsnap"), 0x11, 0));
        assertEquals(2 * GIB, qemuImg.info(disk("v-clone")).virtualSize());
        assertNull(qemuImg.info(disk("v-clone")).backingFile());

        backend.delete("v-src");
        assertTrue(holds(disk("v-clone"), 0x22, 0));
        assertTrue(holds(disk("v-fromsnap"), 0x11, 0));
        assertThrows(BackendException.class, () -> backend.create("v-late", 1, new VolumeSource.Clone("v-src")));
    }

    @Test
    void extendGrowsOnlyAndIsIdempotent() {
        backend.create("v-grow", 1, new VolumeSource.Blank());
        write(disk("v-grow"), 0x33, 0);
        backend.extend("v-grow", 4);
        backend.extend("v-grow", 4);
        backend.extend("v-grow", 2);
        assertEquals(4 * GIB, qemuImg.info(disk("v-grow")).virtualSize());
        assertTrue(holds(disk("v-grow"), 0x33, 0));
    }

    @Test
    void deletingASnapshotInTheMiddleKeepsTheChainAndEveryoneSData() {
        backend.create("v-chain", 1, new VolumeSource.Blank());
        Path disk = disk("v-chain");
        write(disk, 0xa1, 0);
        write(disk, 0xa1, 1 << 20);
        backend.createSnapshot("v-chain", "snap-a", List.of());
        write(disk, 0xb2, 1 << 20);
        backend.createSnapshot("v-chain", "snap-b", List.of("snap-a"));
        backend.createSnapshot("v-chain", "snap-b", List.of("snap-a"));
        write(disk, 0xc3, 2 << 20);
        backend.createSnapshot("v-chain", "snap-c", List.of("snap-a", "snap-b"));
        Path dir = disk.getParent();
        assertEquals("snap-c.qcow2", qemuImg.info(disk).backingFile());

        // snap-b (the middle) goes: snap-c is rebased onto snap-a and keeps b's data.
        backend.deleteSnapshot("v-chain", "snap-b", List.of("snap-a", "snap-b", "snap-c"));
        backend.deleteSnapshot("v-chain", "snap-b", List.of("snap-a", "snap-b", "snap-c"));
        assertFalse(Files.exists(dir.resolve("snap-b.qcow2")));
        assertEquals("snap-a.qcow2", qemuImg.info(dir.resolve("snap-c.qcow2")).backingFile());
        assertTrue(holds(dir.resolve("snap-c.qcow2"), 0xa1, 0));
        assertTrue(holds(dir.resolve("snap-c.qcow2"), 0xb2, 1 << 20));
        assertTrue(holds(dir.resolve("snap-a.qcow2"), 0xa1, 1 << 20), "older snapshots are untouched");
        assertTrue(holds(disk, 0xb2, 1 << 20));
        assertTrue(holds(disk, 0xc3, 2 << 20));

        // The first snapshot goes: the chain has no base any more.
        backend.deleteSnapshot("v-chain", "snap-a", List.of("snap-a", "snap-c"));
        assertNull(qemuImg.info(dir.resolve("snap-c.qcow2")).backingFile());
        assertTrue(holds(disk, 0xa1, 0));

        // The latest goes: the volume itself is rebased.
        backend.deleteSnapshot("v-chain", "snap-c", List.of("snap-c"));
        assertNull(qemuImg.info(disk).backingFile());
        assertTrue(holds(disk, 0xa1, 0));
        assertTrue(holds(disk, 0xb2, 1 << 20));
        assertTrue(holds(disk, 0xc3, 2 << 20));
    }

    @Test
    void revertThrowsAwayTheChangesSinceTheLatestSnapshot() {
        backend.create("v-rev", 1, new VolumeSource.Blank());
        Path disk = disk("v-rev");
        write(disk, 0x01, 0);
        backend.createSnapshot("v-rev", "snap-old", List.of());
        write(disk, 0x02, 0);
        backend.extend("v-rev", 2);
        backend.revert("v-rev", "snap-old", 2);
        assertTrue(holds(disk, 0x01, 0));
        assertEquals(2 * GIB, qemuImg.info(disk).virtualSize());
        backend.revert("v-rev", "snap-old", 2);
        assertTrue(holds(disk, 0x01, 0));
    }

    @Test
    void aBuildInterruptedByACrashIsRedoneAndASnapshotHalfTakenIsFinished() throws Exception {
        Path stale = root.resolve("volumes").resolve(".tmp-v-crash");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("disk.qcow2"), "half a copy");
        backend.create("v-crash", 1, new VolumeSource.Blank());
        assertFalse(Files.exists(stale));
        assertEquals(GIB, qemuImg.info(disk("v-crash")).virtualSize());

        // A crash after "disk.qcow2 → snap file" and before the new overlay:
        write(disk("v-crash"), 0x55, 0);
        Files.move(disk("v-crash"), disk("v-crash").resolveSibling("snap-crash.qcow2"));
        backend.createSnapshot("v-crash", "snap-crash", List.of());
        assertEquals("snap-crash.qcow2", qemuImg.info(disk("v-crash")).backingFile());
        assertTrue(holds(disk("v-crash"), 0x55, 0));
    }
}

package io.virga.storage.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code file} backend: qcow2 files under {@code <root>/<volume id>/},
 * made and changed with {@code qemu-img}.
 *
 * <pre>
 * &lt;root&gt;/v-…/disk.qcow2        the volume (the file a guest opens; its name never changes)
 * &lt;root&gt;/v-…/snap-….qcow2      frozen snapshots, each backed by the previous one
 * &lt;root&gt;/.tmp-v-…/             a volume being built (renamed into place when complete)
 *
 * image ← snap-1 ← snap-2 ← disk.qcow2        (backing chain; the image is read-only, shared)
 * </pre>
 *
 * A snapshot renames {@code disk.qcow2} to the snapshot's file and puts a new
 * empty overlay on top; deleting a snapshot rebases its child onto its parent
 * (qemu-img rebase in safe mode copies the data only the snapshot held) and
 * removes the file; revert replaces {@code disk.qcow2} with a new empty overlay
 * on the latest snapshot. Clones and volumes from snapshots are flattened
 * copies ({@code qemu-img convert}): they depend on nothing.
 */
public final class FileBackend implements VolumeBackend {
    static final String DISK = "disk.qcow2";
    private static final String TMP = ".tmp-";

    private final Path root;
    private final QemuImg qemuImg;

    public FileBackend(Path root, String qemuImgBinary, Duration timeout) {
        this.root = root;
        this.qemuImg = new QemuImg(qemuImgBinary, timeout);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "file";
    }

    private Path dir(String volumeId) {
        if (!volumeId.matches("[a-z]+-[a-z0-9]+")) {
            throw new IllegalArgumentException("not a volume id: " + volumeId);
        }
        return root.resolve(volumeId);
    }

    private static String snapFile(String snapshotId) {
        if (!snapshotId.matches("[a-z]+-[a-z0-9]+")) {
            throw new IllegalArgumentException("not a snapshot id: " + snapshotId);
        }
        return snapshotId + ".qcow2";
    }

    @Override
    public void create(String volumeId, int sizeGb, VolumeSource source) {
        Path done = dir(volumeId);
        if (Files.isRegularFile(done.resolve(DISK))) {
            return;
        }
        Path tmp = root.resolve(TMP + volumeId);
        removeTree(tmp);
        try {
            Files.createDirectories(tmp);
            String size = sizeGb + "G";
            if (source instanceof VolumeSource.Image i) {
                long imageSize = qemuImg.info(i.file(), i.format()).virtualSize();
                if (imageSize > ((long) sizeGb << 30)) {
                    throw new BackendException("the image's virtual size (" + imageSize + " bytes) is larger than "
                            + sizeGb + " GiB");
                }
                qemuImg.run(tmp, "create", "-q", "-f", "qcow2", "-b", i.file().toAbsolutePath().toString(),
                        "-F", i.format(), DISK, size);
            } else if (source instanceof VolumeSource.Snapshot s) {
                copy(dir(s.volumeId()).resolve(snapFile(s.snapshotId())), tmp, size);
            } else if (source instanceof VolumeSource.Clone c) {
                copy(dir(c.volumeId()).resolve(DISK), tmp, size);
            } else {
                qemuImg.run(tmp, "create", "-q", "-f", "qcow2", DISK, size);
            }
            moveAtomically(tmp, done);
        } catch (IOException e) {
            removeTree(tmp);
            throw new BackendException("cannot build volume " + volumeId + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeTree(tmp);
            throw e;
        }
    }

    private void copy(Path from, Path tmp, String size) {
        if (!Files.isRegularFile(from)) {
            throw new BackendException("source " + from.getFileName() + " of " + from.getParent().getFileName()
                    + " does not exist");
        }
        qemuImg.run(tmp, "convert", "-U", "-O", "qcow2", from.toAbsolutePath().toString(), DISK);
        if (qemuImg.info(tmp.resolve(DISK)).virtualSize() < parseGb(size)) {
            qemuImg.run(tmp, "resize", "-q", DISK, size);
        }
    }

    private static long parseGb(String size) {
        return Long.parseLong(size.substring(0, size.length() - 1)) << 30;
    }

    @Override
    public void extend(String volumeId, int sizeGb) {
        Path disk = existingDisk(volumeId);
        if (qemuImg.info(disk).virtualSize() < ((long) sizeGb << 30)) {
            qemuImg.run(disk.getParent(), "resize", "-q", DISK, sizeGb + "G");
        }
    }

    @Override
    public void delete(String volumeId) {
        removeTree(root.resolve(TMP + volumeId));
        removeTree(dir(volumeId));
    }

    @Override
    public void createSnapshot(String volumeId, String snapshotId, List<String> chain) {
        Path dir = dir(volumeId);
        String snap = snapFile(snapshotId);
        Path disk = dir.resolve(DISK);
        if (Files.exists(dir.resolve(snap))) {
            if (Files.exists(disk) && snap.equals(qemuImg.info(disk).backingFile())) {
                return;
            }
            if (!Files.exists(disk)) {
                overlay(dir, snap, qemuImg.info(dir.resolve(snap)).virtualSize());
                return;
            }
            throw new BackendException("snapshot file " + snap + " exists but is not the volume's base");
        }
        long size = qemuImg.info(existingDisk(volumeId)).virtualSize();
        try {
            Files.move(disk, dir.resolve(snap), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BackendException("cannot freeze " + volumeId + ": " + e.getMessage(), e);
        }
        overlay(dir, snap, size);
    }

    /** Makes {@code disk.qcow2} a new empty overlay on {@code base} (atomically replacing any old one). */
    private void overlay(Path dir, String base, long sizeBytes) {
        String next = DISK + ".new";
        try {
            Files.deleteIfExists(dir.resolve(next));
            qemuImg.run(dir, "create", "-q", "-f", "qcow2", "-b", base, "-F", "qcow2", next, Long.toString(sizeBytes));
            Files.move(dir.resolve(next), dir.resolve(DISK), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BackendException("cannot make the overlay of " + dir.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteSnapshot(String volumeId, String snapshotId, List<String> chain) {
        Path dir = dir(volumeId);
        String snap = snapFile(snapshotId);
        Path snapPath = dir.resolve(snap);
        if (!Files.exists(snapPath)) {
            return;
        }
        String child = childOf(dir, snap);
        QemuImg.Info frozen = qemuImg.info(snapPath);
        if (frozen.backingFile() == null) {
            qemuImg.run(dir, "rebase", "-f", "qcow2", "-b", "", child);
        } else {
            qemuImg.run(dir, "rebase", "-f", "qcow2", "-b", frozen.backingFile(), "-F", frozen.backingFormat(), child);
        }
        try {
            Files.delete(snapPath);
        } catch (IOException e) {
            throw new BackendException("cannot remove " + snap + ": " + e.getMessage(), e);
        }
    }

    /** The file in {@code dir} backed by {@code snap} (a later snapshot, or the volume itself). */
    private String childOf(Path dir, String snap) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".qcow2") && !n.equals(snap))
                    .filter(n -> snap.equals(qemuImg.info(dir.resolve(n)).backingFile())).findFirst()
                    .orElseThrow(() -> new BackendException("nothing in " + dir.getFileName() + " is backed by " + snap));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void revert(String volumeId, String snapshotId, int sizeGb) {
        Path dir = dir(volumeId);
        String snap = snapFile(snapshotId);
        if (!Files.exists(dir.resolve(snap))) {
            throw new BackendException("snapshot " + snapshotId + " has no data");
        }
        overlay(dir, snap, (long) sizeGb << 30);
    }

    @Override
    public Location locate(String volumeId) {
        return new Location(dir(volumeId).resolve(DISK).toAbsolutePath(), "qcow2");
    }

    @Override
    public long allocatedBytes(String volumeId) {
        Path dir = dir(volumeId);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".qcow2")).mapToLong(p -> qemuImg.info(p).actualSize()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Physical physical() {
        try {
            FileStore store = Files.getFileStore(root);
            return new Physical(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> volumeIds() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path existingDisk(String volumeId) {
        Path disk = dir(volumeId).resolve(DISK);
        if (!Files.isRegularFile(disk)) {
            throw new BackendException("volume " + volumeId + " has no data file");
        }
        return disk;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void removeTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new BackendException("cannot remove " + dir.getFileName() + ": " + e.getMessage(), e);
        }
    }
}

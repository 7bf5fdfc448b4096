package io.virga.storage.image;

import io.virga.platform.ids.Ids;
import io.virga.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Where image data lives on disk:
 *
 * <pre>
 * &lt;data-dir&gt;/images/&lt;image id&gt;   complete data of an ACTIVE image (immutable)
 * &lt;data-dir&gt;/tmp/&lt;id&gt;-&lt;uuid&gt;.part  an upload in progress
 * </pre>
 *
 * Both directories are on the same file system, so a finished upload is moved
 * into place atomically: readers see either no file or the whole file.
 */
@ApplicationScoped
public class ImageFiles {
    private static final Logger LOG = Logger.getLogger(ImageFiles.class);
    static final String IMAGE_PREFIX = "img";

    private final Path imagesDir;
    private final Path tmpDir;

    public ImageFiles(StorageConfig config) {
        Path root = config.dataDir().toAbsolutePath().normalize();
        this.imagesDir = root.resolve("images");
        this.tmpDir = root.resolve("tmp");
    }

    /** The data file of an image (which exists only while the image is ACTIVE). */
    public Path pathOf(String imageId) {
        if (!Ids.looksLike(IMAGE_PREFIX, imageId)) {
            throw new IllegalArgumentException("not an image id: " + imageId);
        }
        return imagesDir.resolve(imageId);
    }

    /** Creates an empty, uniquely named temp file for an upload of {@code imageId}. */
    public Path newTempFile(String imageId) throws IOException {
        Files.createDirectories(tmpDir);
        Files.createDirectories(imagesDir);
        return Files.createFile(tmpDir.resolve(imageId + "-" + UUID.randomUUID() + ".part"));
    }

    /** Atomically moves a finished upload into place, replacing a stale file of a crashed earlier upload. */
    public Path moveIntoPlace(Path temp, String imageId) throws IOException {
        return Files.move(temp, pathOf(imageId), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes a file if present; a failure is logged (the start-up sweep retries), never thrown. */
    public void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf(e, "could not delete %s; it will be swept at the next start", file);
        }
    }

    /**
     * Removes temp files older than this process: uploads that a previous
     * process never finished. Returns how many were removed.
     */
    public int sweepStaleUploads() {
        return sweep(tmpDir, name -> true);
    }

    /** Removes data files, older than this process, of images not in {@code activeIds}. */
    public int sweepOrphans(java.util.Set<String> activeIds) {
        return sweep(imagesDir, name -> !activeIds.contains(name));
    }

    private int sweep(Path dir, java.util.function.Predicate<String> doomed) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        List<Path> victims = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f) && doomed.test(f.getFileName().toString())
                        && Files.getLastModifiedTime(f).toInstant().isBefore(processStart)) {
                    victims.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        victims.forEach(f -> {
            LOG.infof("removing leftover image file %s", f);
            deleteQuietly(f);
        });
        return victims.size();
    }
}

package io.virga.storage.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk layout and the start-up sweep, on a temp dir. */
class ImageFilesTest {
    @TempDir
    Path dataDir;

    private ImageFiles files() {
        return new ImageFiles(new StorageConfig() {
            @Override
            public Path dataDir() {
                return dataDir;
            }

            @Override
            public long maxImageBytes() {
                return 1024;
            }
        });
    }

    private static Path old(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS)));
        return file;
    }

    @Test
    void aFinishedUploadIsMovedToImagesSlashId() throws Exception {
        ImageFiles files = files();
        Path temp = files.newTempFile("img-0000000000aa");
        Files.writeString(temp, "data");
        Path placed = files.moveIntoPlace(temp, "img-0000000000aa");
        assertEquals(dataDir.resolve("images").resolve("img-0000000000aa"), placed);
        assertEquals("data", Files.readString(placed));
        assertFalse(Files.exists(temp));
    }

    @Test
    void onlyImageIdsBecomePaths() {
        assertThrows(IllegalArgumentException.class, () -> files().pathOf("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> files().pathOf("v-000000000000"));
    }

    @Test
    void theSweepRemovesLeftoversOfEarlierProcessesOnly() throws Exception {
        ImageFiles files = files();
        Path staleTemp = old(files.newTempFile("img-0000000000aa"));
        Path liveTemp = files.newTempFile("img-0000000000bb"); // made by this process: an upload in progress
        Path images = dataDir.resolve("images");
        Path active = old(Files.writeString(images.resolve("img-0000000000cc"), "x"));
        Path orphan = old(Files.writeString(images.resolve("img-0000000000dd"), "x"));

        assertEquals(1, files.sweepStaleUploads());
        assertEquals(1, files.sweepOrphans(Set.of("img-0000000000cc")));
        assertFalse(Files.exists(staleTemp));
        assertTrue(Files.exists(liveTemp));
        assertTrue(Files.exists(active));
        assertFalse(Files.exists(orphan));
    }
}

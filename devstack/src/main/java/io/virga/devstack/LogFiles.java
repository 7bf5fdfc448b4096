package io.virga.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Service logs are appended to across starts, never truncated; one that grew large is rotated once. */
final class LogFiles {
    /** A log larger than this is moved to {@code <log>.1} (replacing an older one) before a start. */
    static final long ROTATE_AT = 64L * 1024 * 1024;

    private LogFiles() {
    }

    static void rotateIfLarge(Path log) throws IOException {
        if (Files.isRegularFile(log) && Files.size(log) > ROTATE_AT) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void append(Path log, String line) throws IOException {
        Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}

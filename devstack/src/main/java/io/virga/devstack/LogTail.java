package io.virga.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a log file for error messages. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /**
     * The last {@code lines} lines of {@code log} (at most 64 KiB are read), or a short
     * note when the file does not exist or cannot be read. Never throws.
     */
    public static String tail(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return "(no log file " + log + ")";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** A message followed by the log path and its last 30 lines, indented. */
    public static String describe(String message, Path log) {
        return message + System.lineSeparator() + "--- last lines of " + log + " ---"
                + System.lineSeparator() + tail(log, 30).indent(2).stripTrailing();
    }
}

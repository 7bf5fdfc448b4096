package io.virga.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Recognises, in a child's log, that it could not bind its listening port: the signal for
 * the starter to try again on a fresh port. Messages recognised:
 * PostgreSQL ("could not bind IPv4 address", "could not create any TCP/IP sockets"), Kafka
 * ("Socket server failed to bind"), Quarkus ("Port … seems to be in use", a
 * {@code java.net.BindException}) and the JDK's "Address already in use".
 */
final class BindFailure {

    private static final List<String> MARKERS = List.of(
            "address already in use",
            "could not bind ipv4 address",
            "could not create any tcp/ip sockets",
            "failed to bind",
            "seems to be in use by another process",
            "java.net.bindexception");

    /** At most this much of a log is scanned (from the offset on). */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private BindFailure() {
    }

    /** The current size of {@code log} (0 when absent): where a child about to be started will begin writing. */
    static long offsetOf(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** True when the part of {@code log} written after {@code offset} reports a failed bind. Never throws. */
    static boolean inLog(Path log, long offset) {
        return inText(read(log, offset));
    }

    static boolean inText(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return MARKERS.stream().anyMatch(lower::contains);
    }

    private static String read(Path log, long offset) {
        if (!Files.isRegularFile(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.min(Math.max(0, offset), file.length());
            int size = (int) Math.min(file.length() - from, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

package io.virga.compute.console;

import io.virga.hypervisor.ConsoleEndpoint;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads the tail of a guest's serial console log (the file its driver's SERIAL console names). */
public final class ConsoleLogs {
    /** The most {@link #tail} returns, whatever is asked. */
    public static final int MAX_BYTES = 1024 * 1024;
    public static final int DEFAULT_BYTES = 64 * 1024;

    private ConsoleLogs() {
    }

    /** What {@link #tail} read: the bytes, and whether the log holds more before them. */
    public record Tail(byte[] data, boolean truncated) {
    }

    /** The SERIAL console's log file among {@code consoles}, if the driver has one. */
    public static Optional<Path> serialLog(List<ConsoleEndpoint> consoles) {
        return consoles.stream().filter(c -> c.type() == ConsoleEndpoint.Type.SERIAL && c.path() != null)
                .map(c -> Path.of(c.path())).findFirst();
    }

    /**
     * The last {@code maxBytes} (0: {@value #DEFAULT_BYTES}; capped at {@value #MAX_BYTES}) of {@code log};
     * empty when the file does not exist yet (a guest that has printed nothing).
     */
    public static Tail tail(Path log, int maxBytes) throws IOException {
        int want = maxBytes <= 0 ? DEFAULT_BYTES : Math.min(maxBytes, MAX_BYTES);
        if (!Files.exists(log)) {
            return new Tail(new byte[0], false);
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long size = f.length();
            int n = (int) Math.min(size, want);
            byte[] data = new byte[n];
            f.seek(size - n);
            f.readFully(data);
            return new Tail(data, size > n);
        }
    }
}

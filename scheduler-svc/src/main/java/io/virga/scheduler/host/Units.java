package io.virga.scheduler.host;

/** Human-readable sizes for messages people read. */
public final class Units {
    private Units() {
    }

    /** 65536 → "64 GiB", 1536 → "1.5 GiB", 512 → "512 MiB". */
    public static String mib(long mb) {
        if (Math.abs(mb) < 1024) {
            return mb + " MiB";
        }
        return gib(mb / 1024.0);
    }

    /** Disk sizes are whole gigabytes as reported: 100 → "100 GB". */
    public static String gb(long gb) {
        return gb + " GB";
    }

    private static String gib(double gib) {
        if (gib == Math.rint(gib)) {
            return (long) gib + " GiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB", gib);
    }
}

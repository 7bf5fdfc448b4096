package io.virga.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/**
 * Chooses listening ports OUTSIDE the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}), so that no outgoing connection (a JDBC
 * or Kafka client, another JVM) can be handed the port between the moment it is chosen and
 * the moment a server binds it. What remains possible is another process choosing the same
 * port at the same moment (another build using this allocator): ports are picked at random
 * from thousands, and every caller that starts a server on a chosen port retries with a
 * fresh one when the bind fails (see {@link PostgresServer}, {@link KafkaBroker},
 * {@link Supervisor}).
 *
 * <p>Candidates: {@value #PREFERRED_LOW}–{@value #PREFERRED_HIGH} minus the ephemeral range
 * (also below the fixed ports of {@code ./virga up}: 8080, 818x/918x, 819x/919x, 15432,
 * 19092/19093); if fewer than {@value #MIN_CANDIDATES} remain (an unusual ephemeral range),
 * 10000–65535 minus the ephemeral range and those fixed ports.
 *
 * <p>Thread-safe. One instance per JVM ({@link Ports#allocate()}) never hands out the same
 * port twice.
 */
final class PortAllocator {

    static final int PREFERRED_LOW = 20000;
    static final int PREFERRED_HIGH = 32000;
    static final int MIN_CANDIDATES = 1000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux' default when the range cannot be read. */
    private static final int[] DEFAULT_EPHEMERAL = {32768, 60999};
    private static final Set<Integer> VIRGA_UP_FIXED = Set.of(15432, 19092, 19093);

    /** Half-open intervals [from, to) of candidate ports. */
    private final List<int[]> intervals;
    private final int size;
    private final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    PortAllocator(int ephemeralLow, int ephemeralHigh) {
        List<int[]> preferred = without(PREFERRED_LOW, PREFERRED_HIGH + 1, ephemeralLow, ephemeralHigh);
        if (count(preferred) >= MIN_CANDIDATES) {
            intervals = preferred;
        } else {
            List<int[]> wide = new ArrayList<>();
            for (int[] i : without(10000, 65536, ephemeralLow, ephemeralHigh)) {
                int from = i[0];
                for (int fixed : VIRGA_UP_FIXED.stream().sorted().toList()) {
                    if (fixed >= from && fixed < i[1]) {
                        if (fixed > from) {
                            wide.add(new int[] {from, fixed});
                        }
                        from = fixed + 1;
                    }
                }
                if (from < i[1]) {
                    wide.add(new int[] {from, i[1]});
                }
            }
            // an ephemeral range covering (nearly) everything: use the preferred range anyway;
            // the bind retries of the callers cover the rare collision
            intervals = count(wide) > 0 ? wide : List.of(new int[] {PREFERRED_LOW, PREFERRED_HIGH + 1});
        }
        size = count(intervals);
    }

    /** The allocator for this machine's ephemeral range (Linux' default if it cannot be read). */
    static PortAllocator forThisMachine() {
        int[] range = readEphemeralRange(EPHEMERAL_RANGE);
        return new PortAllocator(range[0], range[1]);
    }

    /** {low, high} from a file like {@code /proc/sys/net/ipv4/ip_local_port_range} ("32768\t60999"). */
    static int[] readEphemeralRange(Path file) {
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            int low = Integer.parseInt(parts[0]);
            int high = Integer.parseInt(parts[1]);
            if (low > 0 && high >= low && high <= 65535) {
                return new int[] {low, high};
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: assume the default
        }
        return DEFAULT_EPHEMERAL.clone();
    }

    /**
     * A random candidate port that {@code isFree} accepts and this allocator has not handed
     * out before.
     *
     * @throws DevstackException when every candidate is taken
     */
    int allocate(IntPredicate isFree) {
        int start = ThreadLocalRandom.current().nextInt(size);
        // random start, then a walk with a random odd stride: visits every candidate at most once
        int stride = 1 + 2 * ThreadLocalRandom.current().nextInt(Math.max(1, size / 2));
        while (gcd(stride, size) != 1) {
            stride += 2;
        }
        for (int i = 0; i < size; i++) {
            int port = nth((int) ((start + (long) i * stride) % size));
            if (!handedOut.contains(port) && isFree.test(port) && handedOut.add(port)) {
                return port;
            }
        }
        throw new DevstackException("no free TCP port on " + Ports.LOOPBACK + " among " + describe());
    }

    /** True when {@code port} is one this allocator may hand out. */
    boolean isCandidate(int port) {
        for (int[] i : intervals) {
            if (port >= i[0] && port < i[1]) {
                return true;
            }
        }
        return false;
    }

    /** E.g. {@code 20000-32000}. */
    String describe() {
        return String.join(", ", intervals.stream().map(i -> i[0] + "-" + (i[1] - 1)).toList());
    }

    private int nth(int n) {
        for (int[] i : intervals) {
            int len = i[1] - i[0];
            if (n < len) {
                return i[0] + n;
            }
            n -= len;
        }
        throw new IllegalStateException("index beyond candidates");
    }

    /** [from, to) without the closed interval [low, high]. */
    private static List<int[]> without(int from, int to, int low, int high) {
        List<int[]> out = new ArrayList<>();
        if (low > from) {
            out.add(new int[] {from, Math.min(to, low)});
        }
        if (high + 1 < to) {
            out.add(new int[] {Math.max(from, high + 1), to});
        }
        out.removeIf(i -> i[0] >= i[1]);
        return out;
    }

    private static int count(List<int[]> intervals) {
        return intervals.stream().mapToInt(i -> i[1] - i[0]).sum();
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

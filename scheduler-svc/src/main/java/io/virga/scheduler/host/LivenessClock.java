package io.virga.scheduler.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * The clock host liveness is judged by. It is the wall clock, except while
 * this scheduler is <em>deaf</em>: when even the newest heartbeat of any host
 * is older than the host timeout, the likelier story is that reports are not
 * reaching us (Kafka down, this replica just restarted and still rejoining its
 * consumer group) rather than that every host died at once. Then liveness is
 * judged at the newest heartbeat, so hosts that were up together stay up
 * together, for at most {@code deafLimit}; after that the wall clock rules
 * again and every host is DOWN.
 *
 * <pre>
 *  age of newest heartbeat     instant() returns
 *  ------------------------    -----------------------------
 *  none (no hosts)             now
 *  &lt; hostTimeout              now            (normal)
 *  hostTimeout .. deafLimit    newest heartbeat (deaf: judge hosts relative to each other)
 *  &gt;= deafLimit               now            (everything is really down)
 * </pre>
 *
 * The newest heartbeat is read by {@link #refresh()} (called periodically);
 * {@link #instant()} never does I/O.
 */
public final class LivenessClock extends Clock {
    private final Clock wall;
    private final Duration hostTimeout;
    private final Duration deafLimit;
    private final Supplier<Instant> newestHeartbeat;
    private volatile Instant newest;

    /**
     * @param newestHeartbeat the newest heartbeat of any host, or null when there is no host;
     *                        called only from {@link #refresh()}
     */
    public LivenessClock(Clock wall, Duration hostTimeout, Duration deafLimit, Supplier<Instant> newestHeartbeat) {
        if (deafLimit.compareTo(hostTimeout) < 0) {
            throw new IllegalArgumentException("deaf limit " + deafLimit + " is shorter than the host timeout " + hostTimeout);
        }
        this.wall = wall;
        this.hostTimeout = hostTimeout;
        this.deafLimit = deafLimit;
        this.newestHeartbeat = newestHeartbeat;
    }

    /** Re-reads the newest heartbeat; a failure keeps the previous reading. */
    public void refresh() {
        newest = newestHeartbeat.get();
    }

    /** True while liveness is judged at the newest heartbeat instead of now. */
    public boolean deaf() {
        return deaf(newest, wall.instant());
    }

    @Override
    public Instant instant() {
        Instant now = wall.instant();
        Instant n = newest;
        return deaf(n, now) ? n : now;
    }

    private boolean deaf(Instant newestHeartbeat, Instant now) {
        if (newestHeartbeat == null) {
            return false;
        }
        Duration age = Duration.between(newestHeartbeat, now);
        return age.compareTo(hostTimeout) >= 0 && age.compareTo(deafLimit) < 0;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("liveness is judged in UTC");
    }
}

package io.virga.devstack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Restarts children that ended on their own, one restart at a time per child, after a backoff that doubles
 * from {@link #FIRST} to {@link #MAX} while the child keeps dying and starts at {@link #FIRST} again once it
 * has stayed up for {@link #STABLE}. A restart that fails is tried again the same way.
 */
final class CrashRestarts implements AutoCloseable {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(1);
    static final Duration STABLE = Duration.ofMinutes(5);

    /** Starts a child again; returns once it is ready, throws when it could not. */
    interface Restart {
        void run(String name);
    }

    private record Record(long backoffMs, long lastRestartNanos) {
    }

    private final Restart restart;
    private final java.util.function.Consumer<String> progress;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "virga-supervisor-restart");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Record> records = new HashMap<>();
    private final Map<String, Boolean> pending = new HashMap<>();
    private volatile boolean closed;

    CrashRestarts(Restart restart, java.util.function.Consumer<String> progress) {
        this.restart = restart;
        this.progress = progress;
    }

    /** Whether a restart of {@code name} is waiting or under way. */
    synchronized boolean pending(String name) {
        return pending.containsKey(name);
    }

    /** Restarts {@code name} after its backoff, unless a restart of it is already waiting or under way. */
    synchronized void crashed(String name) {
        if (closed || pending.containsKey(name)) {
            return;
        }
        long now = System.nanoTime();
        Record r = records.get(name);
        long backoff = r == null || now - r.lastRestartNanos() > STABLE.toNanos() ? FIRST.toMillis()
                : Math.min(r.backoffMs() * 2, MAX.toMillis());
        records.put(name, new Record(backoff, now + backoff * 1_000_000));
        pending.put(name, true);
        progress.accept(String.format("%s ended on its own; starting it again in %.1f s", name, backoff / 1000.0));
        pool.execute(() -> attempt(name, backoff));
    }

    private void attempt(String name, long backoffMs) {
        try {
            Thread.sleep(backoffMs);
            if (!closed) {
                restart.run(name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            progress.accept(name + " could not be started again: " + e.getMessage());
            synchronized (this) {
                pending.remove(name);
            }
            crashed(name);
            return;
        }
        synchronized (this) {
            pending.remove(name);
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

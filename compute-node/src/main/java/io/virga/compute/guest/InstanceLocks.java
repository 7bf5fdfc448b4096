package io.virga.compute.guest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per instance id, made on demand and dropped when no thread holds or waits for it: work on
 * one guest (a build, a destroy, an action, a power-sync check) is serialized, work on different guests
 * never waits on each other. The map's own monitor is held only to find or drop an entry, never while
 * driver work runs.
 */
final class InstanceLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /**
     * Runs {@code work} holding the instance's lock, waiting up to {@code wait} for it.
     *
     * @throws GuestBusyException when the lock is not free within {@code wait}
     */
    <T> T with(String instanceId, Duration wait, Supplier<T> work) {
        Entry e = acquire(instanceId);
        boolean locked = false;
        try {
            locked = e.lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (!locked) {
                throw new GuestBusyException("guest " + instanceId + " is busy with another operation for more than "
                        + wait.toSeconds() + " s; retry later");
            }
            return work.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new GuestBusyException("interrupted while waiting for guest " + instanceId);
        } finally {
            if (locked) {
                e.lock.unlock();
            }
            release(instanceId, e);
        }
    }

    /** Runs {@code work} holding the instance's lock if it is free now; returns {@code busy} otherwise. */
    <T> T ifFree(String instanceId, T busy, Supplier<T> work) {
        Entry e = acquire(instanceId);
        try {
            if (!e.lock.tryLock()) {
                return busy;
            }
            try {
                return work.get();
            } finally {
                e.lock.unlock();
            }
        } finally {
            release(instanceId, e);
        }
    }

    /** How many instances have an entry (held or awaited), for tests. */
    synchronized int size() {
        return entries.size();
    }

    private synchronized Entry acquire(String instanceId) {
        Entry e = entries.computeIfAbsent(instanceId, k -> new Entry());
        e.users++;
        return e;
    }

    private synchronized void release(String instanceId, Entry e) {
        if (--e.users == 0) {
            entries.remove(instanceId, e);
        }
    }
}

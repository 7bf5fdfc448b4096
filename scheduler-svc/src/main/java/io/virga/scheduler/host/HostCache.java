package io.virga.scheduler.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica's copy of every host, kept fresh by change sequence instead
 * of re-reading all hosts per placement.
 *
 * <p>{@link #refresh} reads only rows whose {@code change_seq} is above what
 * this cache saw two refreshes ago (the overlap catches a transaction that
 * drew its sequence number before another but committed after it);
 * {@link #resync} re-reads everything (at start, then periodically in the
 * background, which also catches anything the overlap missed). An entry is
 * replaced only by a read with a higher change sequence, so a slow full read
 * never rolls back a newer entry. {@link #assume} records a claim this
 * replica is about to commit (or did commit) so the next placement sees it.
 *
 * <p>The cache is a hint: every claim re-checks capacity and policy under the
 * host row's lock, and a claim that loses re-reads its host
 * ({@link #put}) before the request is placed again.
 *
 * <p>Thread-safe (every method synchronised; placement holds the lock only
 * to take a snapshot array).
 */
public final class HostCache {
    private final HostStore store;
    private final Map<String, Integer> index = new HashMap<>();
    private HostState[] order = new HostState[0];
    private long[] seqs = new long[0];
    private long seen = -1;
    private long seenBefore = -1;
    private volatile long deletions = Long.MIN_VALUE;

    public HostCache(HostStore store) {
        this.store = store;
    }

    /** Reads every host (blocking); safe to call from any thread. */
    public void resync() {
        long deleted = store.deletions();
        List<HostStore.Versioned> all = store.changedSince(-1);
        synchronized (this) {
            java.util.Set<String> present = new java.util.HashSet<>();
            all.forEach(v -> present.add(v.host().id()));
            List<String> gone = new ArrayList<>();
            index.keySet().forEach(id -> {
                if (!present.contains(id)) {
                    gone.add(id);
                }
            });
            remove(gone);
            merge(all);
            deletions = deleted;
            if (seen < 0) {
                seenBefore = seen = maxSeq(all, -1);
            }
        }
    }

    /** Reads the hosts changed since (about) the last refresh. */
    public void refresh() {
        long deleted = store.deletions();
        if (deleted != deletions) {
            resync();
            deletions = deleted;
            return;
        }
        long from;
        synchronized (this) {
            from = seenBefore;
        }
        List<HostStore.Versioned> changed = store.changedSince(from);
        synchronized (this) {
            merge(changed);
            long max = maxSeq(changed, seen);
            seenBefore = seen;
            seen = max;
        }
    }

    /**
     * Replaces entries with what a claim read under the host locks (current at
     * its commit, so it wins over anything assumed or read before).
     */
    public synchronized void put(Collection<HostStore.Versioned> fresh) {
        List<HostStore.Versioned> unknown = new ArrayList<>();
        for (HostStore.Versioned v : fresh) {
            Integer i = index.get(v.host().id());
            if (i == null) {
                unknown.add(v);
            } else {
                order[i] = v.host();
                seqs[i] = Math.max(seqs[i], v.changeSeq());
            }
        }
        merge(unknown);
    }

    /**
     * Records {@code delta} of usage on {@code hostId} ahead of the database
     * (a claim being committed). A later read of the row replaces it.
     */
    public synchronized void assume(String hostId, Map<String, Long> delta) {
        Integer i = index.get(hostId);
        if (i != null) {
            order[i] = order[i].plusUsed(delta);
        }
    }

    /** Re-reads {@code hostIds} from the database and puts them (after a failed commit). */
    public void reload(Collection<String> hostIds) {
        put(store.read(hostIds));
    }

    /** Drops hosts that no longer exist (a claim found no row for them, or a full read did not return them). */
    public synchronized void remove(Collection<String> hostIds) {
        if (hostIds.isEmpty()) {
            return;
        }
        java.util.Set<String> drop = new java.util.HashSet<>(hostIds);
        List<HostState> keep = new ArrayList<>();
        List<Long> keepSeqs = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            if (!drop.contains(order[i].id())) {
                keep.add(order[i]);
                keepSeqs.add(seqs[i]);
            }
        }
        order = keep.toArray(new HostState[0]);
        seqs = keepSeqs.stream().mapToLong(Long::longValue).toArray();
        index.clear();
        for (int i = 0; i < order.length; i++) {
            index.put(order[i].id(), i);
        }
    }

    /** Forgets the change sequence of {@code hostIds} so the next read of them wins whatever it says. */
    public synchronized void invalidate(Collection<String> hostIds) {
        for (String id : hostIds) {
            Integer i = index.get(id);
            if (i != null) {
                seqs[i] = -1;
            }
        }
    }

    public synchronized HostState get(String id) {
        Integer i = index.get(id);
        return i == null ? null : order[i];
    }

    /**
     * All hosts, in the order they became known. The array is this cache's own
     * (entries are replaced in place as hosts change): read it, do not modify it.
     */
    public synchronized HostState[] snapshot() {
        return order;
    }

    public synchronized int size() {
        return index.size();
    }

    private void merge(Collection<HostStore.Versioned> rows) {
        List<HostStore.Versioned> added = new ArrayList<>();
        for (HostStore.Versioned v : rows) {
            Integer i = index.get(v.host().id());
            if (i == null) {
                added.add(v);
            } else if (v.changeSeq() > seqs[i] || seqs[i] < 0) {
                order[i] = v.host();
                seqs[i] = v.changeSeq();
            }
        }
        if (!added.isEmpty()) {
            int n = order.length;
            HostState[] grown = java.util.Arrays.copyOf(order, n + added.size());
            long[] grownSeqs = java.util.Arrays.copyOf(seqs, n + added.size());
            for (HostStore.Versioned v : added) {
                if (index.containsKey(v.host().id())) {
                    continue;
                }
                index.put(v.host().id(), n);
                grown[n] = v.host();
                grownSeqs[n] = v.changeSeq();
                n++;
            }
            order = java.util.Arrays.copyOf(grown, n);
            seqs = java.util.Arrays.copyOf(grownSeqs, n);
        }
    }

    private static long maxSeq(List<HostStore.Versioned> rows, long floor) {
        long max = floor;
        for (HostStore.Versioned v : rows) {
            max = Math.max(max, v.changeSeq());
        }
        return max;
    }
}

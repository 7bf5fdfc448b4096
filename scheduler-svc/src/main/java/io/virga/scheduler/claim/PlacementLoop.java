package io.virga.scheduler.claim;

import io.virga.platform.db.Sql;
import io.virga.scheduler.filter.GroupPlacement;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.HostCache;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.select.Selection;
import io.virga.scheduler.select.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One replica's placement thread. Requests queue up while a batch commits;
 * the thread then takes all waiting requests (up to {@code maxBatch}),
 * refreshes the host cache (rows changed since the last look), plans each
 * request in turn on the cache (filters from a random start until
 * {@code sample} hosts fit, ranks them, assumes the winner's usage so the
 * next request of the batch sees it) and commits the batch in one
 * transaction ({@link BatchClaims}). A claim that lost under lock goes back
 * to the front of the queue and is planned again on the fresh rows the
 * commit read (a new ranking, never the next host of a stale one), up to
 * {@code attempts} times.
 *
 * <p>Request states: QUEUED → PLANNED → (CLAIMED | REPLAYED | UNSCHEDULABLE
 * | QUEUED again after a lost claim | CONTENDED after {@code attempts} | FAILED
 * on a database error); every final state completes the request's future once.
 */
final class PlacementLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PlacementLoop.class);

    /** Thrown into a request's future when it names a server group that does not exist. */
    static final class UnknownGroup extends RuntimeException {
        UnknownGroup(String id) {
            super("server group " + id + " does not exist");
        }
    }

    private static final class Job {
        final PlacementRequest request;
        final CompletableFuture<ClaimOutcome> done = new CompletableFuture<>();
        int attempts;

        Job(PlacementRequest request) {
            this.request = request;
        }
    }

    private final HostCache cache;
    private final ClaimStore claims;
    private final BatchClaims batches;
    private final GroupStore groups;
    private final Selector selector;
    private final ClaimMetrics metrics;
    private final int attempts;
    private final int sample;
    private final int maxBatch;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<Job> again = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final LoopStats stats = new LoopStats(5_000);

    PlacementLoop(HostCache cache, ClaimStore claims, GroupStore groups, Selector selector, ClaimMetrics metrics,
                  int attempts, int sample, int maxBatch) {
        this.cache = cache;
        this.claims = claims;
        this.batches = new BatchClaims(claims);
        this.groups = groups;
        this.selector = selector;
        this.metrics = metrics;
        this.attempts = attempts;
        this.sample = sample;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, "placement");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<ClaimOutcome> submit(PlacementRequest request) {
        Job job = new Job(request);
        if (!running) {
            job.done.completeExceptionally(new IllegalStateException("scheduler is shutting down"));
        } else {
            queue.add(job);
        }
        return job.done;
    }

    private void run() {
        boolean synced = false;
        while (running) {
            try {
                if (!synced) {
                    cache.resync();
                    synced = true;
                }
                List<Job> jobs = take();
                if (!jobs.isEmpty()) {
                    round(jobs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("placement round failed: %s", e.getMessage());
                sleepQuietly(50);
            }
        }
    }

    private List<Job> take() throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        while (!again.isEmpty() && jobs.size() < maxBatch) {
            jobs.add(again.poll());
        }
        if (jobs.isEmpty()) {
            Job first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                return jobs;
            }
            jobs.add(first);
        }
        queue.drainTo(jobs, maxBatch - jobs.size());
        return jobs;
    }

    private void round(List<Job> jobs) {
        long t0 = System.nanoTime();
        try {
            cache.refresh();
        } catch (RuntimeException e) {
            jobs.forEach(j -> j.done.completeExceptionally(e));
            return;
        }
        long t1 = System.nanoTime();
        Map<String, GroupStore.Group> known = loadGroups(jobs);
        Map<String, Map<String, Integer>> provisional = new HashMap<>();
        Set<String> consumers = new HashSet<>();
        List<BatchClaims.Planned> planned = new ArrayList<>();
        List<Job> plannedJobs = new ArrayList<>();
        List<List<HostState>> alternates = new ArrayList<>();
        for (Job job : jobs) {
            if (job.done.isDone()) {
                continue;
            }
            if (!consumers.add(job.request.consumerId())) {
                again.add(job);   // same consumer twice in one batch: the second waits and replays
                continue;
            }
            PlacementRequest request = withGroup(job.request, known, provisional);
            HostState[] hosts = cache.snapshot();
            Selection selection = selector.select(hosts, ThreadLocalRandom.current().nextInt(Math.max(1,
                    hosts.length)), sample, request);
            if (selection instanceof Selection.Unschedulable u) {
                finishUnschedulable(job, u);
                continue;
            }
            List<HostState> ranked = ((Selection.Fits) selection).hosts();
            HostState chosen = ranked.get(0);
            cache.assume(chosen.id(), request.resources().byClass());
            if (request.group() != null) {
                provisional.computeIfAbsent(request.group().groupId(), k -> new HashMap<>())
                        .merge(chosen.id(), 1, Integer::sum);
            }
            planned.add(new BatchClaims.Planned(request, chosen));
            plannedJobs.add(job);
            alternates.add(ranked.subList(1, Math.min(ranked.size(), 1 + request.alternates())));
        }
        long t2 = System.nanoTime();
        if (planned.isEmpty()) {
            stats.round(jobs.size(), t1 - t0, t2 - t1, 0, 0);
            return;
        }
        BatchClaims.Result result;
        try {
            result = batches.commit(planned);
        } catch (RuntimeException e) {
            Set<String> hostIds = new HashSet<>();
            planned.forEach(p -> hostIds.add(p.host().id()));
            cache.invalidate(hostIds);
            try {
                cache.reload(hostIds);
            } catch (RuntimeException reread) {
                e.addSuppressed(reread);
            }
            boolean retry = Sql.isRetryable(e) || e instanceof IllegalStateException;
            for (Job job : plannedJobs) {
                if (retry && ++job.attempts < attempts) {
                    again.add(job);
                } else {
                    job.done.completeExceptionally(e);
                }
            }
            return;
        }
        long t3 = System.nanoTime();
        stats.round(jobs.size(), t1 - t0, t2 - t1, t3 - t2,
                (int) result.attempts().stream().filter(a -> a instanceof ClaimAttempt.Lost).count());
        cache.put(result.fresh());
        cache.remove(result.gone());
        for (int i = 0; i < plannedJobs.size(); i++) {
            Job job = plannedJobs.get(i);
            ClaimAttempt a = result.attempts().get(i);
            if (a instanceof ClaimAttempt.Won won) {
                metrics.succeeded(false);
                job.done.complete(new ClaimOutcome.Claimed(won.claim(), alternates.get(i), false));
            } else if (a instanceof ClaimAttempt.ConsumerTaken) {
                replayOrAgain(job);
            } else {
                metrics.conflict();
                if (++job.attempts >= attempts) {
                    metrics.failed("contention");
                    job.done.complete(new ClaimOutcome.Contended(attempts));
                } else {
                    again.add(job);
                }
            }
        }
    }

    private void finishUnschedulable(Job job, Selection.Unschedulable u) {
        var existing = claims.find(job.request.consumerId());
        if (existing.isPresent()) {
            metrics.succeeded(true);
            job.done.complete(new ClaimOutcome.Claimed(existing.get(), alternatesBeside(job.request, existing.get()),
                    true));
            return;
        }
        metrics.failed(u.bindingFilter());
        job.done.complete(new ClaimOutcome.Unschedulable(u));
    }

    private void replayOrAgain(Job job) {
        var existing = claims.find(job.request.consumerId());
        if (existing.isPresent()) {
            metrics.succeeded(true);
            job.done.complete(new ClaimOutcome.Claimed(existing.get(), alternatesBeside(job.request, existing.get()),
                    true));
        } else {
            again.add(job);   // released again in between: place afresh
        }
    }

    /** For a replayed claim: other hosts that fit the request now, besides the claimed one. */
    private List<HostState> alternatesBeside(PlacementRequest request, Claim claim) {
        if (request.alternates() == 0) {
            return List.of();
        }
        Set<String> excluded = new HashSet<>(request.excludedHosts());
        excluded.add(claim.hostId());
        HostState[] hosts = cache.snapshot();
        Selection s = selector.select(hosts, ThreadLocalRandom.current().nextInt(Math.max(1, hosts.length)), sample,
                request.withExcluded(excluded).withGroup(null));
        return s instanceof Selection.Fits f ? f.hosts().stream().limit(request.alternates()).toList() : List.of();
    }

    private Map<String, GroupStore.Group> loadGroups(List<Job> jobs) {
        Set<String> ids = new HashSet<>();
        jobs.forEach(j -> {
            if (j.request.group() != null) {
                ids.add(j.request.group().groupId());
            }
        });
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, GroupStore.Group> found = groups.find(ids);
        for (Job j : jobs) {
            if (j.request.group() != null && !found.containsKey(j.request.group().groupId())) {
                j.done.completeExceptionally(new UnknownGroup(j.request.group().groupId()));
            }
        }
        return found;
    }

    /** The request with its group's current member hosts, plus members placed earlier in this batch. */
    private static PlacementRequest withGroup(PlacementRequest r, Map<String, GroupStore.Group> known,
                                              Map<String, Map<String, Integer>> provisional) {
        if (r.group() == null) {
            return r;
        }
        GroupStore.Group g = known.get(r.group().groupId());
        Map<String, Integer> hosts = new HashMap<>(g.placement().memberHosts());
        provisional.getOrDefault(g.id(), Map.of()).forEach((h, n) -> hosts.merge(h, n, Integer::sum));
        return r.withGroup(new GroupPlacement(g.id(), g.name(), g.policy(), hosts));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Job j;
        while ((j = queue.poll()) != null) {
            j.done.completeExceptionally(new IllegalStateException("scheduler is shutting down"));
        }
    }
}

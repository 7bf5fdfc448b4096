package io.virga.compute.guest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The guests of this node: accepts spawns and builds them on a worker pool,
 * destroys, answers what runs. The driver is the truth; this class adds only
 * the builds under way (which the driver may not show yet).
 *
 * <p>Outcomes are events: RUNNING when the driver's spawn returns, FAILED with
 * the driver's message when it throws (the driver leaves nothing behind),
 * DELETED when a destroy removed a guest. Every state goes through
 * {@link ReportedPowerStates}, which remembers what was last reported.
 *
 * <p>Locking: this object's monitor guards the builds and destroys under way; it is
 * held only for bookkeeping and quick driver look-ups ({@link Hypervisor#status}),
 * never for a build or a destroy itself. {@link #whenIdle} lets others (the power
 * sync) act on a guest with no spawn or destroy of it under way.
 */
@Singleton
public class GuestManager {
    private static final Logger LOG = Logger.getLogger(GuestManager.class);
    static final int WORKERS = 4;
    private static final Duration DESTROY_WAITS_FOR_BUILD = Duration.ofMinutes(2);

    /** Whether a spawn started a build or found the guest already there. */
    public enum Accepted { STARTED, ALREADY_BUILDING, ALREADY_EXISTS }

    private final Hypervisor hypervisor;
    private final ReportedPowerStates reported;
    private final ExecutorService workers;
    private final Map<String, Build> building = new HashMap<>();
    /** Destroys under way, by instance id (several may run at once for one id). */
    private final Map<String, Integer> destroying = new HashMap<>();
    private final Counter spawnsOk;
    private final Counter spawnsFailed;
    private final Timer spawnOk;
    private final Timer spawnFailed;

    private record Build(GuestSpec spec, CompletableFuture<Void> done) {
    }

    public GuestManager(Hypervisor hypervisor, ReportedPowerStates reported, MeterRegistry registry) {
        this.hypervisor = hypervisor;
        this.reported = reported;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "virga-spawn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.spawnsOk = Counter.builder("virga.compute.spawns").tag("outcome", "ok")
                .description("guests spawned").register(registry);
        this.spawnsFailed = Counter.builder("virga.compute.spawns").tag("outcome", "failed")
                .description("spawns that failed").register(registry);
        this.spawnOk = Timer.builder("virga.compute.spawn.duration").tag("outcome", "ok")
                .description("time from accepting a spawn to its outcome").register(registry);
        this.spawnFailed = Timer.builder("virga.compute.spawn.duration").tag("outcome", "failed")
                .description("time from accepting a spawn to its outcome").register(registry);
        Gauge.builder("virga.compute.guests.running", this, GuestManager::runningCount)
                .description("guests in power state RUNNING").register(registry);
    }

    /**
     * Accepts a spawn and builds it in the background. Idempotent on the instance id:
     * a guest that exists or is being built is not built again.
     *
     * @throws GuestConflictException when that id exists with other vCPUs or RAM
     * @throws RejectedExecutionException when the node is shutting down
     */
    public Accepted spawn(GuestSpec spec) {
        String id = spec.instanceId();
        Build build;
        synchronized (this) {
            Build current = building.get(id);
            if (current != null) {
                requireSame(id, current.spec().vcpus(), current.spec().ramMb(), spec);
                return Accepted.ALREADY_BUILDING;
            }
            Optional<GuestStatus> existing = hypervisor.status(id);
            if (existing.isPresent()) {
                requireSame(id, existing.get().vcpus(), existing.get().ramMb(), spec);
                return Accepted.ALREADY_EXISTS;
            }
            build = new Build(spec, new CompletableFuture<>());
            building.put(id, build);
        }
        try {
            workers.execute(() -> build(build));
        } catch (RejectedExecutionException e) {
            finish(build);
            throw e;
        }
        return Accepted.STARTED;
    }

    private void build(Build build) {
        GuestSpec spec = build.spec();
        long start = System.nanoTime();
        try {
            hypervisor.spawn(spec);
            spawnOk.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            spawnsOk.increment();
            LOG.infof("guest %s (%s) is RUNNING", spec.instanceId(), spec.name());
            reported.report(spec.instanceId(), PowerState.RUNNING, "");
        } catch (HypervisorException e) {
            failed(spec, start, e.getMessage());
        } catch (RuntimeException e) {
            // A driver bug, not a refusal: report it, and make sure nothing is left behind.
            LOG.errorf(e, "the %s driver failed unexpectedly spawning %s", hypervisor.type(), spec.instanceId());
            removeLeftovers(spec.instanceId());
            failed(spec, start, "internal error of the " + hypervisor.type() + " driver: " + e);
        } finally {
            finish(build);
        }
    }

    private void failed(GuestSpec spec, long start, String message) {
        spawnFailed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        spawnsFailed.increment();
        LOG.warnf("guest %s (%s) FAILED: %s", spec.instanceId(), spec.name(), message);
        reported.report(spec.instanceId(), PowerState.FAILED, message);
    }

    private void removeLeftovers(String id) {
        try {
            hypervisor.destroy(id);
        } catch (HypervisorException e) {
            LOG.errorf("cannot remove what the failed spawn of %s left behind: %s", id, e.getMessage());
        }
    }

    private void finish(Build build) {
        synchronized (this) {
            building.remove(build.spec().instanceId(), build);
        }
        build.done().complete(null);
    }

    /**
     * Removes the guest, waiting first for a build under way to end. Idempotent.
     *
     * @return true when a guest existed (a DELETED event is then sent)
     * @throws HypervisorException when the driver cannot remove it
     * @throws IllegalStateException when a build under way does not end in time
     */
    public boolean destroy(String instanceId) {
        Build current;
        synchronized (this) {
            current = building.get(instanceId);
            destroying.merge(instanceId, 1, Integer::sum);
        }
        try {
            if (current != null) {
                awaitBuild(current);
            }
            boolean existed = hypervisor.destroy(instanceId);
            if (existed) {
                LOG.infof("guest %s destroyed", instanceId);
                reported.report(instanceId, PowerState.DELETED, "");
            }
            return existed;
        } finally {
            synchronized (this) {
                destroying.computeIfPresent(instanceId, (id, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /**
     * Runs {@code action} unless a spawn or destroy of {@code instanceId} is under way; no
     * spawn or destroy of it starts while the action runs. Spawns and destroys of any guest
     * wait for it: the action must be short, e.g. a {@link Hypervisor#status} look-up and
     * queueing an event.
     *
     * @return what the action returned, or false when the guest was busy and it did not run
     */
    public synchronized boolean whenIdle(String instanceId, BooleanSupplier action) {
        if (building.containsKey(instanceId) || destroying.containsKey(instanceId)) {
            return false;
        }
        return action.getAsBoolean();
    }

    private static void awaitBuild(Build build) {
        try {
            build.done().get(DESTROY_WAITS_FOR_BUILD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the build of " + build.spec().instanceId());
        } catch (TimeoutException e) {
            throw new IllegalStateException("guest " + build.spec().instanceId() + " is still building after "
                    + DESTROY_WAITS_FOR_BUILD.toSeconds() + " s; retry the destroy later");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the build of " + build.spec().instanceId() + " failed oddly", e.getCause());
        }
    }

    /** The guest as the driver sees it, or BUILDING while a build is under way; empty when unknown. */
    public Optional<GuestView> get(String instanceId) {
        Optional<GuestStatus> status = hypervisor.status(instanceId);
        if (status.isPresent()) {
            return status.map(GuestView::of);
        }
        synchronized (this) {
            return Optional.ofNullable(building.get(instanceId)).map(b -> GuestView.building(b.spec()));
        }
    }

    /** Every guest of this node: the driver's, plus builds it does not show yet. */
    public List<GuestView> list() {
        List<GuestView> result = new ArrayList<>();
        Map<String, GuestSpec> builds;
        synchronized (this) {
            builds = new HashMap<>();
            building.forEach((id, b) -> builds.put(id, b.spec()));
        }
        for (GuestStatus s : hypervisor.list()) {
            result.add(GuestView.of(s));
            builds.remove(s.instanceId());
        }
        builds.values().forEach(spec -> result.add(GuestView.building(spec)));
        return result;
    }

    /**
     * Sends the power state of every guest the driver knows, changed or not (at start: the
     * node re-derives its facts and seeds what it last reported). A guest with a spawn or
     * destroy under way is left to it.
     *
     * @return the number of guests reported
     */
    public int reportAll() {
        int reported = 0;
        for (GuestStatus listed : hypervisor.list()) {
            String id = listed.instanceId();
            if (whenIdle(id, () -> reportCurrent(id))) {
                reported++;
            }
        }
        return reported;
    }

    private boolean reportCurrent(String id) {
        Optional<GuestStatus> now = hypervisor.status(id);
        now.ifPresent(s -> reported.report(id, GuestView.eventState(s.state()), ""));
        return now.isPresent();
    }

    /** Guests the driver shows as RUNNING. */
    public int runningCount() {
        return (int) hypervisor.list().stream()
                .filter(s -> s.state() == io.virga.hypervisor.PowerState.RUNNING).count();
    }

    /** Stops taking spawns and interrupts builds under way (each then ends FAILED), waiting up to {@code wait}. */
    public void shutdown(Duration wait) {
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("spawn workers did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireSame(String id, int vcpus, long ramMb, GuestSpec asked) {
        if (vcpus != asked.vcpus() || ramMb != asked.ramMb()) {
            throw new GuestConflictException("instance " + id + " already exists on this host with " + vcpus
                    + " vCPUs and " + ramMb + " MB RAM; asked for " + asked.vcpus() + " vCPUs and "
                    + asked.ramMb() + " MB");
        }
    }
}

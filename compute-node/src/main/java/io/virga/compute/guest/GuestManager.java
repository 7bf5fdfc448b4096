package io.virga.compute.guest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The guests of this node: accepts spawns and builds them on a bounded work queue, destroys, runs
 * actions one at a time per guest, answers what runs. The driver is the truth; this class adds only
 * the builds under way (which the driver may not show yet).
 *
 * <p>Outcomes are events: RUNNING when the driver's spawn returns, FAILED with the driver's message
 * when it throws (the driver leaves nothing behind), DELETED when a destroy removed a guest. Every
 * state goes through {@link ReportedPowerStates}, which remembers what was last reported.
 *
 * <p>Locking: no driver call ever runs under this object's monitor, which guards only the map of
 * builds under way. Work on one guest (its build, a destroy, an action, a power-sync check) is
 * serialized by a per-instance lock ({@link InstanceLocks}); work on different guests runs in
 * parallel, so a slow driver call (a QMP round trip, a boot) never holds up other guests.
 */
@Singleton
public class GuestManager {
    private static final Logger LOG = Logger.getLogger(GuestManager.class);
    static final int WORKERS = 4;
    static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** How long a destroy or an action waits for other work on the same guest (a build, a reboot). */
    private static final Duration WAIT_FOR_GUEST = Duration.ofMinutes(2);

    /** Whether a spawn started a build or found the guest already there. */
    public enum Accepted { STARTED, ALREADY_BUILDING, ALREADY_EXISTS }

    private final Hypervisor hypervisor;
    private final ReportedPowerStates reported;
    private final WorkQueue work;
    private final InstanceLocks locks = new InstanceLocks();
    private final Map<String, Build> building = new HashMap<>();
    private final Counter spawnsOk;
    private final Counter spawnsFailed;
    private final Timer spawnOk;
    private final Timer spawnFailed;

    private record Build(GuestSpec spec, CompletableFuture<Void> done) {
    }

    @Inject
    public GuestManager(Hypervisor hypervisor, ReportedPowerStates reported, MeterRegistry registry,
                        ComputeConfig config) {
        this(hypervisor, reported, registry, config.hostName(), WORKERS, config.workQueueCapacity());
    }

    /** A manager with the default work queue (for tests). */
    public GuestManager(Hypervisor hypervisor, ReportedPowerStates reported, MeterRegistry registry) {
        this(hypervisor, reported, registry, "this host", WORKERS, DEFAULT_QUEUE_CAPACITY);
    }

    GuestManager(Hypervisor hypervisor, ReportedPowerStates reported, MeterRegistry registry, String hostName,
                 int workers, int queueCapacity) {
        this.hypervisor = hypervisor;
        this.reported = reported;
        this.work = new WorkQueue(hostName, workers, queueCapacity, registry);
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
     * Accepts a spawn and builds it in the background. Idempotent on the instance id: a guest that
     * exists (adopted at start, or built before) or is being built is not built again.
     *
     * @throws GuestConflictException          when that id exists with other vCPUs or RAM
     * @throws WorkQueueFullException          when the work queue is full (nothing is accepted)
     * @throws RejectedExecutionException      when the node is shutting down
     */
    public Accepted spawn(GuestSpec spec) {
        String id = spec.instanceId();
        synchronized (this) {
            Build current = building.get(id);
            if (current != null) {
                requireSame(id, current.spec().vcpus(), current.spec().ramMb(), spec);
                return Accepted.ALREADY_BUILDING;
            }
        }
        Optional<GuestStatus> existing = hypervisor.status(id);
        if (existing.isPresent()) {
            requireSame(id, existing.get().vcpus(), existing.get().ramMb(), spec);
            return Accepted.ALREADY_EXISTS;
        }
        Build build;
        synchronized (this) {
            Build current = building.get(id);
            if (current != null) {
                requireSame(id, current.spec().vcpus(), current.spec().ramMb(), spec);
                return Accepted.ALREADY_BUILDING;
            }
            build = new Build(spec, new CompletableFuture<>());
            building.put(id, build);
        }
        try {
            work.submit(() -> build(build));
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
            locks.with(spec.instanceId(), WAIT_FOR_GUEST, () -> {
                buildLocked(spec, start);
                return null;
            });
        } catch (GuestBusyException e) {
            failed(spec, start, e.getMessage());
        } finally {
            finish(build);
        }
    }

    private void buildLocked(GuestSpec spec, long start) {
        try {
            hypervisor.spawn(spec);
            spawnOk.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            spawnsOk.increment();
            LOG.infof("guest %s (%s) is RUNNING", spec.instanceId(), spec.name());
            report(spec.instanceId(), PowerState.RUNNING, "");
        } catch (HypervisorException e) {
            failed(spec, start, e.getMessage());
        } catch (RuntimeException e) {
            // A driver bug, not a refusal: report it, and make sure nothing is left behind.
            LOG.errorf(e, "the %s driver failed unexpectedly spawning %s", hypervisor.type(), spec.instanceId());
            removeLeftovers(spec.instanceId());
            failed(spec, start, "internal error of the " + hypervisor.type() + " driver: " + e);
        }
    }

    private void failed(GuestSpec spec, long start, String message) {
        spawnFailed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        spawnsFailed.increment();
        LOG.warnf("guest %s (%s) FAILED: %s", spec.instanceId(), spec.name(), message);
        report(spec.instanceId(), PowerState.FAILED, message);
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
     * Removes the guest, waiting first for a build or other work on it to end. Idempotent.
     *
     * @return true when a guest existed (a DELETED event is then sent)
     * @throws HypervisorException  when the driver cannot remove it
     * @throws GuestBusyException   when other work on the guest does not end in time
     */
    public boolean destroy(String instanceId) {
        return withGuest(instanceId, () -> {
            boolean existed = hypervisor.destroy(instanceId);
            if (existed) {
                LOG.infof("guest %s destroyed", instanceId);
                report(instanceId, PowerState.DELETED, "");
            }
            return existed;
        });
    }

    /**
     * Runs {@code work} on one guest, after a build of it under way has ended and while no other work
     * on it runs (actions, destroys and power-sync checks of that guest wait; other guests do not).
     *
     * @throws GuestBusyException when the guest stays busy longer than a caller may wait
     */
    public <T> T withGuest(String instanceId, Supplier<T> work) {
        Build current;
        synchronized (this) {
            current = building.get(instanceId);
        }
        if (current != null) {
            awaitBuild(current);
        }
        return locks.with(instanceId, WAIT_FOR_GUEST, work);
    }

    /**
     * Runs {@code action} unless a build of {@code instanceId} is under way or other work on it runs
     * now; no other work on it starts while the action runs. Never waits.
     *
     * @return what the action returned, or false when the guest was busy and it did not run
     */
    public boolean whenIdle(String instanceId, BooleanSupplier action) {
        synchronized (this) {
            if (building.containsKey(instanceId)) {
                return false;
            }
        }
        return locks.ifFree(instanceId, false, action::getAsBoolean);
    }

    private static void awaitBuild(Build build) {
        try {
            build.done().get(WAIT_FOR_GUEST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestBusyException("interrupted while waiting for the build of " + build.spec().instanceId());
        } catch (TimeoutException e) {
            throw new GuestBusyException("guest " + build.spec().instanceId() + " is still building after "
                    + WAIT_FOR_GUEST.toSeconds() + " s; retry later");
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
        Map<String, GuestSpec> builds = new HashMap<>();
        synchronized (this) {
            building.forEach((id, b) -> builds.put(id, b.spec()));
        }
        List<GuestView> result = new ArrayList<>();
        for (GuestStatus s : hypervisor.list()) {
            result.add(GuestView.of(s));
            builds.remove(s.instanceId());
        }
        builds.values().forEach(spec -> result.add(GuestView.building(spec)));
        return result;
    }

    /**
     * Reconciles at start, like a kubelet: sends the power state of every guest the driver re-adopted,
     * changed or not (seeding what the node last reported). A guest that stopped or crashed while the
     * node was away is reported as such (SHUTDOWN, CRASHED) with a message saying so; nothing is started
     * or spawned again. A guest with work under way is left to it.
     *
     * @return the number of guests reported
     */
    public int reportAll() {
        int count = 0;
        for (GuestStatus listed : hypervisor.list()) {
            String id = listed.instanceId();
            if (whenIdle(id, () -> reportAdopted(id))) {
                count++;
            }
        }
        return count;
    }

    private boolean reportAdopted(String id) {
        Optional<GuestStatus> now = hypervisor.status(id);
        if (now.isEmpty() || now.get().state() == io.virga.hypervisor.PowerState.BUILDING) {
            return false;
        }
        io.virga.hypervisor.PowerState state = now.get().state();
        String message = switch (state) {
            case CRASHED -> "found CRASHED when the node started: the guest died while the node was not watching";
            case SHUTDOWN -> "found SHUTDOWN when the node started";
            default -> "";
        };
        if (!message.isEmpty() && now.get().detail() != null) {
            message = message + " (" + now.get().detail() + ")";
        }
        if (!message.isEmpty()) {
            LOG.warnf("guest %s: %s", id, message);
        }
        report(id, GuestView.eventState(state), message);
        return true;
    }

    /** Reports a state; an event queue that is full is logged, and the power sync reports it later. */
    void report(String id, PowerState state, String message) {
        try {
            reported.report(id, state, message);
        } catch (IllegalStateException e) {
            LOG.errorf("cannot report %s of guest %s now: %s", state, id, e.getMessage());
        }
    }

    /** Guests the driver shows as RUNNING. */
    public int runningCount() {
        return (int) hypervisor.list().stream()
                .filter(s -> s.state() == io.virga.hypervisor.PowerState.RUNNING).count();
    }

    /** Stops taking spawns and interrupts builds under way (each then ends FAILED), waiting up to {@code wait}. */
    public void shutdown(Duration wait) {
        try {
            if (!work.shutdown(wait)) {
                LOG.warn("guest workers did not stop in time");
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

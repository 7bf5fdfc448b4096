package io.virga.hypervisor.sim;

import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestKind;
import io.virga.hypervisor.GuestNotFoundException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.Pausable;
import io.virga.hypervisor.PowerControl;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.Traits;
import io.virga.hypervisor.VirtMode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An in-memory hypervisor with honest semantics, for tests and for simulating
 * many hosts on one machine. It is a test double, never a product driver.
 *
 * <ul>
 *   <li>Resource accounting: every known guest holds its RAM and disk; a spawn that does not fit
 *       fails at once with {@link CapacityExceededException} ("host-1 has 2048 MB RAM free, guest
 *       needs 4096 MB"). vCPUs are time-shared: no guest may have more than the host, but their
 *       total may exceed it (the scheduler's allocation ratio decides how far).</li>
 *   <li>Boot latency: spawn, start and reboot take {@link SimOptions#bootLatency()}; meanwhile a
 *       spawning guest is visible as BUILDING and holds its resources.</li>
 *   <li>Failure injection: spawns whose name matches {@link SimOptions#failSpawnMatching()}, and the
 *       next {@link #failNextSpawns(int) N} spawns, fail after the boot latency and leave nothing.</li>
 *   <li>Persistence: with a {@link SimOptions#stateDir()}, guests that have booted are kept as JSON
 *       files and a new {@code SimHypervisor} on the same directory re-adopts them, in the state
 *       they were in (a simulated guest "keeps running" while its node restarts).</li>
 *   <li>{@link #crash(String)} makes a guest CRASHED, as a real guest may.</li>
 * </ul>
 */
public final class SimHypervisor implements Hypervisor, PowerControl, Pausable {
    private static final System.Logger LOG = System.getLogger(SimHypervisor.class.getName());
    private static final Set<PowerState> STARTABLE = EnumSet.of(PowerState.SHUTDOWN, PowerState.CRASHED);

    /** One guest; {@code build} is set while it is BUILDING and completes with the build's outcome. */
    private record Guest(GuestSpec spec, GuestStatus status, CompletableFuture<GuestStatus> build,
                         String injectedFailure) {
        Guest withStatus(GuestStatus next) {
            return new Guest(spec, next, null, null);
        }
    }

    private final SimOptions options;
    private final Set<String> traits;
    private final SimStateStore store;
    private final Object lock = new Object();
    private final Map<String, Guest> guests = new HashMap<>();
    private final SimFaults faults;

    /**
     * A sim host; with a state directory, it re-adopts the guests stored there.
     *
     * @throws HypervisorException when the state directory cannot be created or a stored guest cannot be read
     */
    public SimHypervisor(SimOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.faults = new SimFaults(options);
        Set<String> t = new TreeSet<>(Traits.capabilities(this));
        t.add(Traits.computeType(type()));
        for (GuestKind kind : GuestKind.values()) {
            t.add(kind.trait());
        }
        for (VirtMode mode : VirtMode.values()) {
            t.add(mode.trait());
        }
        this.traits = Collections.unmodifiableSet(t);
        this.store = options.stateDirectory().map(SimStateStore::new).orElse(null);
        if (store != null) {
            for (SimStateStore.StoredGuest g : store.loadAll()) {
                GuestSpec s = g.spec();
                GuestStatus status = new GuestStatus(s.instanceId(), g.state(), s.vcpus(), s.ramMb(), g.startedAtInstant());
                guests.put(s.instanceId(), new Guest(s, status, null, null));
            }
            List<GuestSpec> held = guests.values().stream().map(Guest::spec).toList();
            SimCapacity.overcommitment(options.capacity(), held).ifPresent(what -> LOG.log(
                    System.Logger.Level.WARNING, "re-adopted guests on " + options.hostName() + " " + what
                            + "; new spawns fail until enough are destroyed"));
        }
    }

    @Override
    public String type() {
        return "sim";
    }

    @Override
    public HostCapacity capacity() {
        return options.capacity();
    }

    @Override
    public Set<String> traits() {
        return traits;
    }

    /** The next {@code count} spawns (replacing any count still pending) fail after the boot latency. */
    public void failNextSpawns(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        synchronized (lock) {
            faults.failNext(count);
        }
    }

    @Override
    public GuestStatus spawn(GuestSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Guest mine;
        CompletableFuture<GuestStatus> otherBuild = null;
        synchronized (lock) {
            Guest existing = guests.get(spec.instanceId());
            if (existing != null) {
                requireSameResources(existing.spec(), spec);
                if (existing.build() == null) {
                    return existing.status();
                }
                otherBuild = existing.build();
                mine = null;
            } else {
                List<String> shortfalls = shortfalls(spec.vcpus(), spec.ramMb(), spec.diskGb());
                if (!shortfalls.isEmpty()) {
                    throw new CapacityExceededException(String.join("; ", shortfalls));
                }
                GuestStatus building = new GuestStatus(spec.instanceId(), PowerState.BUILDING, spec.vcpus(),
                        spec.ramMb(), null);
                mine = new Guest(spec, building, new CompletableFuture<>(), faults.failureFor(spec));
                guests.put(spec.instanceId(), mine);
            }
        }
        return mine == null ? await(otherBuild, spec.instanceId()) : build(mine);
    }

    private GuestStatus build(Guest mine) {
        String id = mine.spec().instanceId();
        try {
            sleep(options.bootLatency());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(mine, new HypervisorException("spawn of guest " + id + " was interrupted"));
        }
        synchronized (lock) {
            if (guests.get(id) != mine) {
                throw abandon(mine, new HypervisorException("guest " + id + " was destroyed while it was building"));
            }
            if (mine.injectedFailure() != null) {
                throw abandon(mine, new HypervisorException(mine.injectedFailure()));
            }
            Instant now = now();
            GuestStatus running = mine.status().with(PowerState.RUNNING, now);
            try {
                save(mine.spec(), running);
            } catch (IOException e) {
                throw abandon(mine, new HypervisorException("cannot save the state of guest " + id + " on "
                        + options.hostName() + ": " + e.getMessage(), e));
            }
            guests.put(id, mine.withStatus(running));
            mine.build().complete(running);
            return running;
        }
    }

    /** Removes {@code mine} if it is still the guest of its id, fails its build, and returns {@code error}. */
    private HypervisorException abandon(Guest mine, HypervisorException error) {
        synchronized (lock) {
            guests.remove(mine.spec().instanceId(), mine);
        }
        mine.build().completeExceptionally(error);
        return error;
    }

    private static GuestStatus await(CompletableFuture<GuestStatus> build, String id) {
        try {
            return build.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while waiting for the build of guest " + id);
        } catch (ExecutionException e) {
            throw new HypervisorException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean destroy(String instanceId) {
        Objects.requireNonNull(instanceId, "instanceId");
        synchronized (lock) {
            Guest g = guests.get(instanceId);
            if (g == null) {
                return false;
            }
            if (store != null && g.build() == null) {
                try {
                    store.delete(instanceId);
                } catch (IOException e) {
                    throw new HypervisorException("cannot remove the state of guest " + instanceId + " on "
                            + options.hostName() + ": " + e.getMessage(), e);
                }
            }
            // a build under way notices that its guest is gone and fails
            guests.remove(instanceId);
            return true;
        }
    }

    @Override
    public Optional<GuestStatus> status(String instanceId) {
        synchronized (lock) {
            return Optional.ofNullable(guests.get(instanceId)).map(Guest::status);
        }
    }

    @Override
    public List<GuestStatus> list() {
        synchronized (lock) {
            List<GuestStatus> result = new ArrayList<>(guests.size());
            guests.values().forEach(g -> result.add(g.status()));
            return result;
        }
    }

    @Override
    public GuestStatus stop(String instanceId) {
        synchronized (lock) {
            Guest g = require(instanceId);
            if (g.status().state() == PowerState.SHUTDOWN) {
                return g.status();
            }
            return move(g, PowerState.SHUTDOWN, g.status().startedAt(), "stop");
        }
    }

    @Override
    public GuestStatus start(String instanceId) {
        synchronized (lock) {
            Guest g = require(instanceId);
            if (g.status().state() == PowerState.RUNNING) {
                return g.status();
            }
            requireIn(g, STARTABLE, "start");
        }
        bootDelay(instanceId, "start");
        synchronized (lock) {
            Guest g = require(instanceId);
            if (g.status().state() == PowerState.RUNNING) {
                return g.status();
            }
            requireIn(g, STARTABLE, "start");
            return move(g, PowerState.RUNNING, now(), "start");
        }
    }

    @Override
    public GuestStatus reboot(String instanceId) {
        synchronized (lock) {
            requireIn(require(instanceId), EnumSet.of(PowerState.RUNNING), "reboot");
        }
        bootDelay(instanceId, "reboot");
        synchronized (lock) {
            Guest g = require(instanceId);
            requireIn(g, EnumSet.of(PowerState.RUNNING), "reboot");
            return move(g, PowerState.RUNNING, now(), "reboot");
        }
    }

    @Override
    public GuestStatus pause(String instanceId) {
        synchronized (lock) {
            Guest g = require(instanceId);
            if (g.status().state() == PowerState.PAUSED) {
                return g.status();
            }
            requireIn(g, EnumSet.of(PowerState.RUNNING), "pause");
            return move(g, PowerState.PAUSED, g.status().startedAt(), "pause");
        }
    }

    @Override
    public GuestStatus resume(String instanceId) {
        synchronized (lock) {
            Guest g = require(instanceId);
            if (g.status().state() == PowerState.RUNNING) {
                return g.status();
            }
            requireIn(g, EnumSet.of(PowerState.PAUSED), "resume");
            return move(g, PowerState.RUNNING, g.status().startedAt(), "resume");
        }
    }

    /**
     * Simulates a guest dying on its own: RUNNING or PAUSED → CRASHED.
     *
     * @throws GuestNotFoundException for an unknown guest
     * @throws GuestConflictException when the guest is in another state
     */
    public GuestStatus crash(String instanceId) {
        synchronized (lock) {
            Guest g = require(instanceId);
            requireIn(g, EnumSet.of(PowerState.RUNNING, PowerState.PAUSED), "crash");
            return move(g, PowerState.CRASHED, g.status().startedAt(), "crash");
        }
    }

    private Guest require(String instanceId) {
        Guest g = guests.get(Objects.requireNonNull(instanceId, "instanceId"));
        if (g == null) {
            throw new GuestNotFoundException(instanceId);
        }
        return g;
    }

    private static void requireIn(Guest g, Set<PowerState> allowed, String operation) {
        PowerState state = g.status().state();
        if (!allowed.contains(state)) {
            String hint = operation.equals("start") && (state == PowerState.PAUSED || state == PowerState.SUSPENDED)
                    ? " (resume it instead)" : "";
            throw new GuestConflictException("guest " + g.spec().instanceId() + " is " + state + "; cannot "
                    + operation + " it" + hint);
        }
    }

    /** Moves {@code g} to {@code target} along the state table, stored first. Caller holds the lock. */
    private GuestStatus move(Guest g, PowerState target, Instant startedAt, String operation) {
        PowerState from = g.status().state();
        if (!from.canBecome(target)) {
            throw new GuestConflictException("guest " + g.spec().instanceId() + " is " + from + "; cannot "
                    + operation + " it");
        }
        GuestStatus next = g.status().with(target, startedAt);
        try {
            save(g.spec(), next);
        } catch (IOException e) {
            throw new HypervisorException("cannot save the state of guest " + g.spec().instanceId() + ": "
                    + e.getMessage(), e);
        }
        guests.put(g.spec().instanceId(), g.withStatus(next));
        return next;
    }

    private void save(GuestSpec spec, GuestStatus status) throws IOException {
        if (store != null) {
            store.save(spec, status.state(), status.startedAt());
        }
    }

    private void bootDelay(String instanceId, String operation) {
        try {
            sleep(options.bootLatency());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException(operation + " of guest " + instanceId + " was interrupted");
        }
    }

    private static void requireSameResources(GuestSpec existing, GuestSpec asked) {
        if (existing.vcpus() != asked.vcpus() || existing.ramMb() != asked.ramMb()) {
            throw new GuestConflictException("guest " + existing.instanceId() + " already exists with "
                    + existing.vcpus() + " vCPUs and " + existing.ramMb() + " MB RAM; asked for "
                    + asked.vcpus() + " vCPUs and " + asked.ramMb() + " MB");
        }
    }

    private List<String> shortfalls(int vcpus, long ramMb, long diskGb) {
        List<GuestSpec> held = new ArrayList<>(guests.size());
        guests.values().forEach(g -> held.add(g.spec()));
        return SimCapacity.shortfalls(options.hostName(), options.capacity(), held, vcpus, ramMb, diskGb);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        }
    }
}

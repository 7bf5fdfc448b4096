package io.virga.compute.guest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.virga.compute.config.ComputeConfig;
import io.virga.compute.events.ReportedPowerStates;
import io.virga.contracts.events.v1.PowerState;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.GuestWatch;
import io.virga.hypervisor.Hypervisor;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reconciles the power states the node reported with what the driver shows (as Nova's
 * {@code _sync_power_states}): every {@code virga.compute.power-sync-interval}, on its own
 * thread, it lists the driver's guests and reports each guest whose state differs from the
 * last one reported (a guest crashed, or drifted in the driver), and DELETED for a guest
 * reported but no longer known to the driver. Unchanged states are never sent again.
 *
 * <p>A guest with a spawn or destroy under way is skipped (that operation reports it), and
 * so is a guest the driver shows as BUILDING; each change is checked again against the
 * driver under {@link GuestManager#whenIdle}, so the sync never reports a state older than
 * one a spawn or destroy reported. Counter {@code virga_compute_power_sync_changes_total}.
 *
 * <p>A driver that is a {@link GuestWatch} also says when a guest changed by itself (an app container
 * exited, QEMU died): that guest is reconciled at once, the same way, on the sync's thread.
 */
@Singleton
public class PowerSync {
    private static final Logger LOG = Logger.getLogger(PowerSync.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration NOTICE_RETRY = Duration.ofMillis(200);
    private static final Duration NOTICE_BUDGET = Duration.ofMinutes(2);

    private final Hypervisor hypervisor;
    private final GuestManager guests;
    private final ReportedPowerStates reported;
    private final Duration interval;
    private final Counter changes;
    private ScheduledExecutorService timer;

    @Inject
    public PowerSync(Hypervisor hypervisor, GuestManager guests, ReportedPowerStates reported, ComputeConfig config,
                     MeterRegistry registry) {
        this(hypervisor, guests, reported, config.powerSyncInterval(), registry);
    }

    PowerSync(Hypervisor hypervisor, GuestManager guests, ReportedPowerStates reported, Duration interval,
              MeterRegistry registry) {
        this.hypervisor = hypervisor;
        this.guests = guests;
        this.reported = reported;
        this.interval = interval;
        this.changes = Counter.builder("virga.compute.power.sync.changes")
                .description("power states the periodic sync found changed in the driver and reported")
                .register(registry);
    }

    /** Syncs every interval, the first time one interval from now (the start-up re-report comes first). */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "virga-power-sync");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        timer.scheduleWithFixedDelay(this::pass, every, every, TimeUnit.MILLISECONDS);
        if (hypervisor instanceof GuestWatch watch) {
            ScheduledExecutorService on = timer;
            watch.watch(id -> later(on, 0, () -> noticed(on, id, System.nanoTime() + NOTICE_BUDGET.toNanos())));
        }
        LOG.infof("power states are synced with the %s driver every %d ms%s", hypervisor.type(), every,
                hypervisor instanceof GuestWatch ? ", and at once when it notices a guest change by itself" : "");
    }

    /**
     * The driver noticed {@code id} may have changed by itself: reconcile that guest now. While a spawn or
     * other work on it runs (it reports its own result first), look again shortly, until {@code deadline};
     * after that the periodic sync finds the change.
     */
    private void noticed(ScheduledExecutorService on, String id, long deadline) {
        boolean[] ran = {false};
        try {
            if (guests.whenIdle(id, () -> {
                ran[0] = true;
                return reconcile(id);
            })) {
                changes.increment();
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "cannot reconcile guest %s after the driver noticed a change", id);
            return;
        }
        if (!ran[0] && System.nanoTime() < deadline) {
            later(on, NOTICE_RETRY.toMillis(), () -> noticed(on, id, deadline));
        }
    }

    /** Runs {@code work} on the sync's thread after {@code millis}; nothing once the sync has stopped. */
    private static void later(ScheduledExecutorService on, long millis, Runnable work) {
        try {
            on.schedule(work, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // the node is stopping: the next start re-reports every guest
        }
    }

    /** Stops syncing, waiting a little for a pass under way. Idempotent. */
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the power sync did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }

    private void pass() {
        // an exception would cancel the schedule: report it and keep syncing
        try {
            syncOnce();
        } catch (RuntimeException e) {
            LOG.errorf(e, "power sync failed; trying again in %s", interval);
        }
    }

    /**
     * One reconciliation pass.
     *
     * @return the number of changed states reported
     */
    public int syncOnce() {
        Map<String, PowerState> last = reported.snapshot();
        Set<String> listed = new HashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (GuestStatus s : hypervisor.list()) {
            listed.add(s.instanceId());
            if (s.state() != io.virga.hypervisor.PowerState.BUILDING
                    && last.get(s.instanceId()) != GuestView.eventState(s.state())) {
                candidates.add(s.instanceId());
            }
        }
        for (String id : last.keySet()) {
            if (!listed.contains(id)) {
                candidates.add(id);
            }
        }
        int changed = 0;
        for (String id : candidates) {
            if (guests.whenIdle(id, () -> reconcile(id))) {
                changed++;
            }
        }
        changes.increment(changed);
        return changed;
    }

    /** Under the guest manager's lock: reports the guest's state now if it differs from the last report. */
    private boolean reconcile(String id) {
        Optional<PowerState> before = reported.last(id);
        String was = before.map(s -> "last reported " + s).orElse("not reported before");
        Optional<GuestStatus> now = hypervisor.status(id);
        if (now.isEmpty()) {
            String message = "no longer known to the " + hypervisor.type() + " driver (" + was + ")";
            boolean sent = reported.reportIfChanged(id, PowerState.DELETED, message);
            if (sent) {
                LOG.warnf("power sync: guest %s is gone: %s", id, message);
            }
            return sent;
        }
        if (now.get().state() == io.virga.hypervisor.PowerState.BUILDING) {
            return false;
        }
        PowerState state = GuestView.eventState(now.get().state());
        String detail = now.get().detail();
        boolean sent = reported.reportIfChanged(id, state, (detail == null ? "" : detail + "; ")
                + "observed by the power sync (" + was + ")");
        if (sent) {
            LOG.warnf("power sync: guest %s is %s (%s)", id, state, was);
        }
        return sent;
    }
}

package io.virga.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Live migration of a running guest between two qemu drivers, with its local disks moved while it runs
 * (QEMU 7.2; no shared storage, no {@code -drive} names, so not the deprecated {@code blk} migration):
 *
 * <pre>
 * destination (prepare)                          source (migrateTo)
 *   overlays on the same images, QEMU -incoming defer -S
 *   migrate-incoming tcp:ADDR:0 (QEMU binds)
 *   nbd-server-start + block-export-add per local disk
 *   endpoint qemu-live://ADDR:MIG?nbd=NBD ─────▶   blockdev-add nbd client + blockdev-mirror sync=top
 *                                                  (full when the disk has no backing image), wait READY
 *                                                  migrate (pause-before-switchover) → pre-switchover:
 *                                                  block-job-cancel (final sync, no pivot), migrate-continue
 *                                                  → completed: the source QEMU quits, its files go
 *   (finish) wait until the stream is in, nbd-server-stop, cont → RUNNING
 * </pre>
 *
 * Volumes given as a {@code path} (shared storage) are not copied: both sides open the same file and
 * QEMU's migration hands the image over. Refused (conflict, the guest keeps running): a guest that is
 * not RUNNING, one with hot-plugged volumes, an endpoint that is not a live qemu endpoint. A migration
 * that fails leaves the source guest running (jobs cancelled, NBD clients removed, {@code cont} when it
 * had been stopped) and the destination prepared (its destroy removes it). Between two nodes of one
 * machine, TAP NICs cannot move (both QEMUs would open the same tap).
 */
final class LiveMigration {
    static final String SCHEME = "qemu-live";
    private static final Duration POLL = Duration.ofMillis(20);

    private final QemuRuntime rt;
    private final StateOps states;

    LiveMigration(QemuRuntime rt, StateOps states) {
        this.rt = rt;
        this.states = states;
    }

    // ---- destination ----------------------------------------------------------------------------

    /**
     * Starts the waiting QEMU of an incoming guest ({@code g}, reserved, locked, persisted) and returns
     * where the source sends it. Cleanup on failure is the caller's.
     */
    MigrationEndpoint listen(QemuGuest g) {
        rt.createLocalDisks(g);
        rt.launch(g, QemuCommandLine.Start.INCOMING);
        String address = rt.options.migrationAddress();
        rt.qmp(g, "migrate-set-capabilities", Map.of("capabilities", List.of(
                Map.of("capability", "events", "state", true))));
        rt.qmp(g, "migrate-incoming", Map.of("uri", "tcp:" + address + ":0"));
        JsonNode sockets = rt.qmp(g, "query-migrate", null).path("socket-address");
        if (!sockets.isArray() || sockets.isEmpty()) {
            throw new HypervisorException("QEMU of guest " + g.id + " did not say where it waits for the migration");
        }
        int migrationPort = sockets.get(0).path("port").asInt();
        int nbdPort = NbdServer.start(rt, g, address);
        for (QemuCommandLine.DiskPlan d : localDisks(g)) {
            rt.qmp(g, "block-export-add", Map.of("type", "nbd", "id", "mig-" + d.nodeName(),
                    "node-name", d.nodeName(), "writable", true, "name", d.nodeName()));
        }
        return new MigrationEndpoint(SCHEME + "://" + address + ":" + migrationPort + "?nbd=" + nbdPort, true);
    }

    /**
     * Under the guest's lock: waits until the migration stream has arrived, stops the NBD server and runs
     * the guest. The guest is RUNNING afterwards.
     *
     * @throws HypervisorException when the stream does not arrive within the command timeout, or failed
     */
    GuestStatus finish(QemuGuest g) {
        long deadline = System.nanoTime() + rt.options.commandTimeout().toNanos();
        String runState = rt.runState(g);
        while (runState.equals("inmigrate")) {
            String migration = rt.qmp(g, "query-migrate", null).path("status").asText("");
            if (migration.equals("failed") || migration.equals("cancelled")) {
                throw new HypervisorException("the live migration of guest " + g.id + " to " + rt.options.hostName()
                        + " " + migration + ": " + QemuProcesses.tail(g.files.stderr()));
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("guest " + g.id + " has not arrived on " + rt.options.hostName()
                        + " within " + rt.options.commandTimeout() + " (was it migrated to it?)");
            }
            QemuProcesses.sleep(POLL.toMillis());
            runState = rt.runState(g);
        }
        rt.qmp(g, "nbd-server-stop", null);
        rt.qmp(g, "cont", null);
        g.incoming = false;
        g.liveEndpoint = null;
        return rt.publish(g, PowerState.RUNNING, Instant.now());
    }

    // ---- source ---------------------------------------------------------------------------------

    /** Moves the guest to {@code target}; afterwards it is gone here. See the class comment. */
    void migrateTo(String id, MigrationEndpoint target) {
        Endpoint to = Endpoint.parse(id, target);
        rt.locked(id, () -> {
            QemuGuest g = rt.guest(id);
            if (g.state() != PowerState.RUNNING) {
                throw new GuestConflictException("guest " + id + " is " + g.state() + "; only a running guest migrates live");
            }
            if (!g.hotplugged.isEmpty()) {
                throw new GuestConflictException("guest " + id + " has hot-plugged volumes; detach them before a live migration");
            }
            List<String> jobs = new ArrayList<>();
            try {
                mirror(g, to, jobs);
                migrate(g, to, jobs);
            } catch (RuntimeException e) {
                abort(g, jobs);
                throw e instanceof HypervisorException h ? h
                        : new HypervisorException("live migration of guest " + id + " failed: " + e.getMessage(), e);
            }
            rt.terminate(g, Duration.ZERO);
            TapDevices.remove(g.spec);
            rt.removeFiles(g);
            rt.release(g);
            return null;
        });
    }

    /** Starts one mirror job per local disk into the destination's NBD export and waits until all are READY. */
    private void mirror(QemuGuest g, Endpoint to, List<String> jobs) {
        QmpClient qmp = rt.qmp(g);
        List<CompletableFuture<JsonNode>> ready = new ArrayList<>();
        for (QemuCommandLine.DiskPlan d : localDisks(g)) {
            String job = "mig-" + d.nodeName();
            rt.qmp(g, "blockdev-add", Map.of("driver", "nbd", "node-name", job, "export", d.nodeName(),
                    "server", Map.of("type", "inet", "host", to.host(), "port", String.valueOf(to.nbdPort()))));
            jobs.add(job);
            ready.add(qmp.nextEvent("BLOCK_JOB_READY", e -> e.path("device").asText().equals(job)));
            rt.qmp(g, "blockdev-mirror", Map.of("job-id", job, "device", d.nodeName(), "target", job,
                    "sync", hasBacking(g, d.nodeName()) ? "top" : "full"));
        }
        long deadline = System.nanoTime() + rt.options.commandTimeout().multipliedBy(10).toNanos();
        for (int i = 0; i < jobs.size(); i++) {
            String job = jobs.get(i);
            while (!ready.get(i).isDone() && !jobReady(g, job)) {
                if (System.nanoTime() > deadline) {
                    throw new HypervisorException("copying the disks of guest " + g.id + " did not finish within "
                            + rt.options.commandTimeout().multipliedBy(10));
                }
                QemuProcesses.sleep(POLL.toMillis());
            }
        }
    }

    /** The memory and device state, with the mirrors finished while the guest is stopped at the switchover. */
    private void migrate(QemuGuest g, Endpoint to, List<String> jobs) {
        states.tune(g);
        rt.qmp(g, "migrate-set-capabilities", Map.of("capabilities", List.of(
                Map.of("capability", "events", "state", true),
                Map.of("capability", "pause-before-switchover", "state", true))));
        rt.qmp(g, "migrate", Map.of("uri", "tcp:" + to.host() + ":" + to.migrationPort()));
        String status = awaitMigration(g, s -> s.equals("pre-switchover") || StateOps.isFinal(s));
        if (!status.equals("pre-switchover")) {
            throw failed(g, status);
        }
        for (String job : jobs) {
            rt.qmp(g, "block-job-cancel", Map.of("device", job)); // a READY mirror: final sync, no pivot
        }
        awaitJobsGone(g, jobs);
        jobs.clear();
        rt.qmp(g, "migrate-continue", Map.of("state", "pre-switchover"));
        status = awaitMigration(g, StateOps::isFinal);
        if (!status.equals("completed")) {
            throw failed(g, status);
        }
    }

    private HypervisorException failed(QemuGuest g, String status) {
        String why = rt.qmp(g, "query-migrate", null).path("error-desc").asText(status);
        return new HypervisorException("live migration of guest " + g.id + " " + status + ": " + why);
    }

    /** After a failure: cancels what runs, removes the NBD clients, and makes sure the guest runs again. */
    private void abort(QemuGuest g, List<String> jobs) {
        quietly(() -> rt.qmp(g, "migrate_cancel", null));
        quietly(() -> awaitMigration(g, s -> !s.equals("active") && !s.equals("pre-switchover")
                && !s.equals("cancelling") && !s.equals("device")));
        for (String job : jobs) {
            quietly(() -> rt.qmp(g, "block-job-cancel", Map.of("device", job, "force", true)));
        }
        quietly(() -> awaitJobsGone(g, jobs));
        for (String job : jobs) {
            quietly(() -> rt.qmp(g, "blockdev-del", Map.of("node-name", job)));
        }
        quietly(() -> {
            if (!rt.runState(g).equals("running")) {
                rt.qmp(g, "cont", null);
            }
        });
    }

    private String awaitMigration(QemuGuest g, java.util.function.Predicate<String> done) {
        long deadline = System.nanoTime() + rt.options.commandTimeout().multipliedBy(10).toNanos();
        while (true) {
            String s = rt.qmp(g, "query-migrate", null).path("status").asText("");
            if (done.test(s)) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("the live migration of guest " + g.id + " is still " + s + " after "
                        + rt.options.commandTimeout().multipliedBy(10));
            }
            QemuProcesses.sleep(POLL.toMillis());
        }
    }

    private void awaitJobsGone(QemuGuest g, List<String> jobs) {
        long deadline = System.nanoTime() + rt.options.commandTimeout().toNanos();
        while (true) {
            boolean any = false;
            for (JsonNode j : rt.qmp(g, "query-block-jobs", null)) {
                any |= jobs.contains(j.path("device").asText());
            }
            if (!any) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new HypervisorException("the disk copies of guest " + g.id + " did not end within "
                        + rt.options.commandTimeout());
            }
            QemuProcesses.sleep(POLL.toMillis());
        }
    }

    private boolean jobReady(QemuGuest g, String job) {
        for (JsonNode j : rt.qmp(g, "query-block-jobs", null)) {
            if (j.path("device").asText().equals(job)) {
                if (!j.path("error").isMissingNode()) {
                    throw new HypervisorException("copying disk " + job + " of guest " + g.id + " failed: "
                            + j.path("error").asText());
                }
                return j.path("ready").asBoolean(false);
            }
        }
        throw new HypervisorException("copying disk " + job + " of guest " + g.id + " stopped (the destination went away?)");
    }

    private boolean hasBacking(QemuGuest g, String node) {
        for (JsonNode n : rt.qmp(g, "query-named-block-nodes", Map.of("flat", true))) {
            if (n.path("node-name").asText().equals(node)) {
                return n.hasNonNull("backing_file");
            }
        }
        return false;
    }

    /** The guest's disks that live in its own directory (overlays), which must be copied. */
    static List<QemuCommandLine.DiskPlan> localDisks(QemuGuest g) {
        return QemuCommandLine.disks(g.spec, List.of(), g.files).stream()
                .filter(d -> d.disk().connection() != null && d.disk().connection().path() == null)
                .toList();
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // cleanup after a failure: report the first failure, not this one
        }
    }

    /** A parsed {@code qemu-live://HOST:PORT?nbd=PORT} endpoint. */
    record Endpoint(String host, int migrationPort, int nbdPort) {
        static Endpoint parse(String id, MigrationEndpoint target) {
            if (target == null || !target.live() || target.uri() == null || !target.uri().startsWith(SCHEME + "://")) {
                throw new GuestConflictException("guest " + id + " can migrate live only to a prepared live qemu "
                        + "destination (" + SCHEME + "://…), not " + (target == null ? "none" : target.uri()));
            }
            try {
                java.net.URI u = java.net.URI.create(target.uri());
                String q = u.getQuery() == null ? "" : u.getQuery();
                int nbd = Integer.parseInt(q.replaceFirst("^.*\\bnbd=(\\d+).*$", "$1"));
                if (u.getHost() == null || u.getPort() <= 0) {
                    throw new IllegalArgumentException("no host or port");
                }
                return new Endpoint(u.getHost(), u.getPort(), nbd);
            } catch (IllegalArgumentException e) {
                throw new GuestConflictException("bad live migration endpoint " + target.uri() + ": " + e.getMessage());
            }
        }
    }
}

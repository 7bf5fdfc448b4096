package io.virga.gateway.workflow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of the workflow engine (all with defaults; override as {@code virga.workflow.*}). */
@ConfigMapping(prefix = "virga.workflow")
public interface WorkflowConfig {
    /** Run workflows in this process (a gateway replica may opt out). */
    @WithDefault("true")
    boolean enabled();

    /** Worker threads; each runs one step at a time. */
    @WithDefault("4")
    int workers();

    /**
     * How often idle workers look for due workflows anyway. Not on the
     * critical path: a new workflow, a saved step and an observation wake the
     * workers at once (in process, and through PostgreSQL NOTIFY for other
     * replicas); the poll only catches timers (a wait's deadline, a backoff).
     */
    @WithDefault("200ms")
    Duration pollInterval();

    /** Listen for NOTIFY virga_workflows (wake-ups from other replicas and from the event consumers). */
    @WithDefault("true")
    boolean listen();

    /**
     * How long a claim of a workflow lasts without renewal. The runner renews
     * its leases every {@code lease / 3} while it works (one fenced UPDATE for
     * all of them), so a step may take longer than this; only a runner that
     * stops renewing (it died, hung or lost the database) loses its workflows,
     * at most one lease after its last renewal. A takeover runs the current
     * step again (steps are idempotent) and the old holder can write nothing
     * more (every write is fenced by its lease token). At least 300 ms.
     */
    @WithDefault("15s")
    Duration lease();

    /**
     * On shutdown, how long steps in flight may still run before the runner
     * hands its leases back anyway ({@link WorkflowRunner#shutdown()}). Keep it
     * well below the time the process manager waits before SIGKILL (devstack: 10 s).
     */
    @WithDefault("5s")
    Duration shutdownGrace();

    /**
     * How long a forward step may keep meeting an outage of a service it needs
     * (UNAVAILABLE, DEADLINE_EXCEEDED) before the workflow gives up and
     * compensates. Retried meanwhile with backoff up to {@link #outageRetryMax()};
     * the operation's step shows the wait.
     */
    @WithDefault("3m")
    Duration outageBudget();

    /** The longest pause between two tries during an outage (so a service back up is noticed quickly). */
    @WithDefault("5s")
    Duration outageRetryMax();

    /** Attempts of a forward step that keeps failing with an internal error before the workflow compensates. */
    @WithDefault("5")
    int maxAttempts();

    /** First retry delay; doubles per attempt up to {@link #maxBackoff()}. */
    @WithDefault("1s")
    Duration retryBackoff();

    @WithDefault("30s")
    Duration maxBackoff();
}

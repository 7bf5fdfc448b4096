package io.virga.gateway.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The worker threads of one {@link WorkflowRunner#start()}: each loops "run one
 * round (claim and run one due workflow); when none was due, wait for a wake-up
 * or the poll interval" until {@link #stop}. A pool serves only its own
 * start: a worker of a stopped pool that is still inside a step finishes (or
 * abandons) that round and then exits — it never takes new work, even when
 * the runner has been started again meanwhile.
 */
final class Workers {
    private static final Logger LOG = Logger.getLogger(Workers.class);

    /** One round of a worker. */
    interface Round {
        /** @return false when no workflow was due (the worker then waits) */
        boolean run(Workers pool) throws Exception;

        /** How long an idle worker may sleep: until the next workflow is due, at most {@code max}. */
        default long idleMs(long max) throws Exception {
            return max;
        }
    }

    private final List<Thread> threads = new ArrayList<>();
    private final Semaphore wake;
    private final Duration pollInterval;
    private volatile boolean active = true;

    private Workers(Semaphore wake, Duration pollInterval) {
        this.wake = wake;
        this.pollInterval = pollInterval;
    }

    /** Starts {@code count} daemon workers running {@code round}; {@code wake} permits wake idle ones. */
    static Workers start(int count, Semaphore wake, Duration pollInterval, Round round) {
        Workers pool = new Workers(wake, pollInterval);
        for (int n = 0; n < count; n++) {
            Thread t = new Thread(() -> pool.work(round), "workflow-runner-" + n);
            t.setDaemon(true);
            pool.threads.add(t);
        }
        pool.threads.forEach(Thread::start);
        return pool;
    }

    /** False once {@link #stop} began: a round must not start a step any more. */
    boolean active() {
        return active;
    }

    /**
     * Stops taking work (idle workers exit at once) and waits, up to
     * {@code grace} in all, for the workers inside a round to finish it. An
     * interrupt of the caller ends the wait early (the interrupt stays set).
     *
     * @return the workers still inside a round (not interrupted: that is the caller's decision)
     */
    List<Thread> stop(Duration grace) {
        active = false;
        wake.release(threads.size());
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return threads.stream().filter(Thread::isAlive).toList();
    }

    private void work(Round round) {
        while (active) {
            try {
                if (!round.run(this)) {
                    wake.tryAcquire(Math.max(1, round.idleMs(pollInterval.toMillis())), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!active) {
                    return;
                }
                LOG.warnf("workflow worker failed, pausing: %s", e.toString());
                try {
                    Thread.sleep(pollInterval.toMillis() * 5);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}

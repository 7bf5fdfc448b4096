package io.virga.e2e;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The load half of the chaos test: {@code instances} creates through the public API at
 * {@code concurrency}, each with its own Idempotency-Key, so that a create whose answer was
 * lost (gateway killed, connection reset) is simply sent again and never makes a second
 * instance. Every 4th instance is deleted once it has left BUILDING. A client retries a
 * request for up to {@link #CLIENT_RETRY} on what a real client would retry: no connection,
 * 5xx, 429 and 409 (a key still in flight, or the instance busy).
 *
 * <p>Meanwhile {@link #injectFaults} walks a list of faults, each one after another equal share
 * of the creates was sent; the next share waits until the fault is injected (the service killed
 * and started again), so that every fault lands while work is in flight.
 */
final class ChaosStorm {
    static final Duration CLIENT_RETRY = Duration.ofMinutes(3);
    /** How long a single instance may stay BUILDING before its delete is sent anyway. */
    static final Duration BUILD_WAIT = Duration.ofMinutes(6);

    /** One fault: a name for the report and what it does to the cloud. */
    record Fault(String name, Runnable action) {
    }

    /** What the storm did, for the audit. */
    record Result(List<String> created, List<String> deleted, List<String> clientErrors,
                  Map<String, String> faultErrors, Map<String, Double> faultSeconds) {
    }

    private final Api member;
    private final Map<String, Object> createBody;
    private final int instances;
    private final int concurrency;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger faultsDone = new AtomicInteger();
    private int faultCount;
    private final List<String> created = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final List<String> clientErrors = new ArrayList<>();
    private final Map<String, String> faultErrors = new ConcurrentHashMap<>();
    private final Map<String, Double> faultSeconds = new ConcurrentHashMap<>();

    ChaosStorm(Api member, Map<String, Object> createBody, int instances, int concurrency) {
        this.member = member;
        this.createBody = createBody;
        this.instances = instances;
        this.concurrency = concurrency;
    }

    /** Runs the creates and deletes while {@code faults} are injected; returns when both are done. */
    Result run(List<Fault> faults) throws Exception {
        faultCount = faults.size();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency + 1);
        try {
            Future<?> chaos = pool.submit(() -> injectFaults(faults));
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                int n = i;
                work.add(pool.submit(() -> one(n)));
            }
            for (Future<?> f : work) {
                f.get();
            }
            chaos.get();
        } finally {
            pool.shutdownNow();
        }
        synchronized (this) {
            return new Result(List.copyOf(created), List.copyOf(deleted), List.copyOf(clientErrors),
                    Map.copyOf(faultErrors), Map.copyOf(faultSeconds));
        }
    }

    /** Create {@code n} is sent after every fault due before it, so that the faults spread over the storm. */
    private void one(int n) {
        while (faultsDone.get() < faultCount && due(faultsDone.get()) <= n) {
            Api.sleep(50);
        }
        sent.incrementAndGet();
        String key = "chaos-" + n;
        Map<String, Object> body = new java.util.HashMap<>(createBody);
        body.put("name", "chaos-" + n);
        Response r = retrying("create " + key, () -> member.request().contentType("application/json")
                .header("Idempotency-Key", key).body(body).post("/v1/instances"));
        if (r == null || r.statusCode() != 202) {
            error("create " + key + ": " + (r == null ? "no answer" : r.statusCode() + " " + r.asString()));
            return;
        }
        String id = r.path("id");
        synchronized (this) {
            created.add(id);
        }
        if (n % 4 != 0) {
            return;
        }
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Response s = retrying("show " + id, () -> member.get("/v1/instances/" + id));
            if (s != null && s.statusCode() == 200 && !"BUILDING".equals(s.path("status"))) {
                break;
            }
            Api.sleep(500);
        }
        Response d = retrying("delete " + id, () -> member.delete("/v1/instances/" + id));
        if (d == null || (d.statusCode() != 202 && d.statusCode() != 204)) {
            error("delete " + id + ": " + (d == null ? "no answer" : d.statusCode() + " " + d.asString()));
            return;
        }
        synchronized (this) {
            deleted.add(id);
        }
    }

    /** Sends {@code request} until it gets an answer a client would not retry, for up to {@link #CLIENT_RETRY}. */
    private Response retrying(String what, Supplier<Response> request) {
        long deadline = System.nanoTime() + CLIENT_RETRY.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                Response r = request.get();
                int s = r.statusCode();
                if (s < 500 && s != 429 && s != 409) {
                    return r;
                }
                last = s + " " + r.asString();
            } catch (Exception noConnection) { // RestAssured rethrows IOExceptions unchecked-style
                last = noConnection.toString();
            }
            Api.sleep(500);
        }
        error(what + ": still failing after " + CLIENT_RETRY + ": " + last);
        return null;
    }

    private void injectFaults(List<Fault> faults) {
        for (int i = 0; i < faults.size(); i++) {
            while (sent.get() < due(i)) {
                Api.sleep(100);
            }
            Fault f = faults.get(i);
            long t = System.nanoTime();
            System.out.printf("chaos: fault %s after %d of %d creates sent%n", f.name(), sent.get(), instances);
            try {
                f.action().run();
            } catch (RuntimeException e) {
                faultErrors.put(f.name(), e.toString());
                System.out.printf("chaos: fault %s failed: %s%n", f.name(), e);
            }
            double secs = (System.nanoTime() - t) / 1e9;
            faultSeconds.put(f.name(), secs);
            System.out.printf("chaos: fault %s done in %.1f s%n", f.name(), secs);
            faultsDone.incrementAndGet();
        }
    }

    /** How many creates are sent before fault {@code i}: the faults split the storm into equal shares. */
    private int due(int i) {
        return Math.max(1, (i + 1) * instances / (faultCount + 1));
    }

    private synchronized void error(String message) {
        clientErrors.add(message);
        System.out.println("chaos: client error: " + message);
    }
}

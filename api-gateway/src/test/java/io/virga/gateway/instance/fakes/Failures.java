package io.virga.gateway.instance.fakes;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;

/** Failure injection for a fake service: make a method fail its next n calls, or every call, with a status. */
public final class Failures {
    private record Plan(Status status, int remaining) {
    }

    private final Map<String, Plan> plans = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();

    /** The next {@code times} calls of {@code method} fail with {@code status}. */
    public synchronized void failNext(String method, int times, Status status) {
        plans.put(method, new Plan(status, times));
    }

    /** Every call of {@code method} fails with {@code status} until {@link #clear()}. */
    public synchronized void failAlways(String method, Status status) {
        plans.put(method, new Plan(status, Integer.MAX_VALUE));
    }

    public synchronized void clear() {
        plans.clear();
        calls.clear();
    }

    /** How many times {@code method} was called (failed calls included) since the last clear. */
    public synchronized int calls(String method) {
        return calls.getOrDefault(method, 0);
    }

    /** Counts the call and throws if a failure is planned for it. */
    synchronized void check(String method) {
        calls.merge(method, 1, Integer::sum);
        Plan p = plans.get(method);
        if (p == null || p.remaining() <= 0) {
            return;
        }
        if (p.remaining() != Integer.MAX_VALUE) {
            plans.put(method, new Plan(p.status(), p.remaining() - 1));
        }
        throw new StatusRuntimeException(p.status().withDescription("injected failure of " + method));
    }
}

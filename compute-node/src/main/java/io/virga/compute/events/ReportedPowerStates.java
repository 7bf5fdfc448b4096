package io.virga.compute.events;

import io.virga.contracts.events.v1.PowerState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this node last told the cloud about each guest's power state, and the one way
 * guest power states are sent ({@link NodeEvents#powerState}).
 *
 * <p>In memory only, seeded by the re-report at start. Only guests that exist are kept:
 * an id whose last report was {@link PowerState#DELETED} or {@link PowerState#FAILED}
 * (no guest left) is forgotten, so the map is as large as the host's guests.
 *
 * <p>Thread safe. Recording a state and queueing its event happen under one lock, so the
 * order of the events on the queue is the order of the records here.
 */
@Singleton
public class ReportedPowerStates {

    /** Where the states go; {@link NodeEvents#powerState} in the node. Must not block (it queues). */
    @FunctionalInterface
    public interface Sink {
        void powerState(String instanceId, PowerState state, String message);
    }

    private final Sink sink;
    private final Map<String, PowerState> live = new HashMap<>();

    @Inject
    public ReportedPowerStates(NodeEvents events) {
        this(events::powerState);
    }

    public ReportedPowerStates(Sink sink) {
        this.sink = sink;
    }

    /** Sends {@code state} for the guest, whatever was reported before, and records it. */
    public synchronized void report(String instanceId, PowerState state, String message) {
        sink.powerState(instanceId, state, message);
        if (isGone(state)) {
            live.remove(instanceId);
        } else {
            live.put(instanceId, state);
        }
    }

    /**
     * Sends {@code state} only when it differs from the last report: a live state differing from
     * the last one (or first seen), or DELETED/FAILED for a guest last reported live.
     *
     * @return true when an event was sent
     */
    public synchronized boolean reportIfChanged(String instanceId, PowerState state, String message) {
        PowerState before = live.get(instanceId);
        boolean unchanged = isGone(state) ? before == null : state == before;
        if (unchanged) {
            return false;
        }
        report(instanceId, state, message);
        return true;
    }

    /** The last state reported for a guest that exists; empty when none was, or it was DELETED/FAILED. */
    public synchronized Optional<PowerState> last(String instanceId) {
        return Optional.ofNullable(live.get(instanceId));
    }

    /** A copy of every live guest's last reported state. */
    public synchronized Map<String, PowerState> snapshot() {
        return Map.copyOf(live);
    }

    private static boolean isGone(PowerState state) {
        return state == PowerState.DELETED || state == PowerState.FAILED;
    }
}

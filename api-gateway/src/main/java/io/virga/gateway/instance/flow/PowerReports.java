package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.workflow.Observation;
import io.virga.gateway.workflow.StepContext;
import java.util.Optional;

/**
 * Compute nodes' power-state reports as workflow observations: kind
 * {@value #KIND}, source = the reporting host's id, payload {@code state}
 * (a {@code PowerState} name) and {@code message}. Posted to the instance's
 * active workflow by {@link io.virga.gateway.instance.PowerStateConsumer}.
 */
public final class PowerReports {
    public static final String KIND = "power_state";

    private PowerReports() {
    }

    /** What a host said about a guest. */
    public record Report(String hostId, String state, String message) {
        /** "host-1 reported the guest FAILED: why" */
        public String describe(String hostName) {
            return hostName + " reported the guest " + state
                    + (message == null || message.isBlank() ? "" : ": " + message);
        }
    }

    /** The newest report from {@code hostId} among the step's observations. */
    public static Optional<Report> latestFrom(StepContext<Instance, ?> ctx, String hostId) {
        return ctx.latest(KIND, hostId).map(PowerReports::report);
    }

    static Report report(Observation o) {
        return new Report(o.source(), o.get("state"), o.get("message"));
    }
}

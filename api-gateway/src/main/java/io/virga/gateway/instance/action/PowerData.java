package io.virga.gateway.instance.action;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.virga.gateway.instance.Fault;
import io.virga.gateway.workflow.CompensationAware;

/** The data of a power action ({@link PowerFlow}): which action, its options, and why it failed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class PowerData implements CompensationAware {
    /** The action's API name (one of the power actions of {@link InstanceAction}). */
    public String action;
    /** reboot: hard (reset) instead of soft (ACPI, then forced after the grace). */
    public boolean hard;
    /** stop and soft reboot: seconds of graceful shutdown before it is forced (0: forced at once). */
    public int graceSeconds;
    /** Set when compensation starts. */
    public Fault fault;

    @Override
    public void compensating(Fault why) {
        this.fault = why;
    }

    InstanceAction action() {
        return InstanceAction.parse(action).orElseThrow(() -> new IllegalStateException("no action " + action));
    }
}

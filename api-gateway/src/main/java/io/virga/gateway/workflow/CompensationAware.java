package io.virga.gateway.workflow;

import io.virga.gateway.instance.Fault;

/**
 * Flow data that wants to remember why compensation started (so the last
 * undo step can end the resource and the operation with that fault).
 */
public interface CompensationAware {
    void compensating(Fault fault);
}

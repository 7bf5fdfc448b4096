package io.virga.gateway.saga;

import io.virga.gateway.instance.Instance;
import java.util.ArrayList;
import java.util.List;

/**
 * What a step works with: the claimed saga, the instance as read before the
 * step, and mutable copies of the saga's data and excluded hosts (saved only
 * if the step succeeds), and the lease under which the step runs.
 */
public final class SagaContext {
    private final SagaRecord saga;
    private final Instance instance;
    private final SagaData data;
    private final List<String> excludedHosts;
    private final Lease lease;

    SagaContext(SagaRecord saga, Instance instance, Lease lease) {
        this.saga = saga;
        this.lease = lease;
        this.instance = instance;
        this.data = SagaRepository.copy(saga.data());
        this.excludedHosts = new ArrayList<>(saga.excludedHosts());
    }

    public SagaRecord saga() {
        return saga;
    }

    public Instance instance() {
        return instance;
    }

    public SagaData data() {
        return data;
    }

    public List<String> excludedHosts() {
        return excludedHosts;
    }

    /**
     * For steps that make several remote calls: call between them; once the
     * lease is known lost there is no point going on (the new owner runs the
     * step again, and nothing this run learns would be saved).
     *
     * @throws LeaseLostException if a renewal found the saga taken over
     */
    void ensureLease() {
        lease.ensureHeld();
    }
}

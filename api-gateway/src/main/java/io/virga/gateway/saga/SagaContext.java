package io.virga.gateway.saga;

import io.virga.gateway.instance.Instance;
import java.util.ArrayList;
import java.util.List;

/**
 * What a step works with: the claimed saga, the instance as read before the
 * step, and mutable copies of the saga's data and excluded hosts (saved only
 * if the step succeeds).
 */
public final class SagaContext {
    private final SagaRecord saga;
    private final Instance instance;
    private final SagaData data;
    private final List<String> excludedHosts;

    SagaContext(SagaRecord saga, Instance instance) {
        this.saga = saga;
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
}

package io.virga.gateway.workflow;

import java.util.List;

/**
 * What a step works with: the claimed workflow, its resource as read just
 * before the step, a mutable copy of the flow's data (saved only with the
 * step's outcome), the observations delivered to the workflow so far, and
 * the lease under which the step runs.
 */
public final class StepContext<R, D> {
    private final Workflow workflow;
    private final R resource;
    private final D data;
    private final List<Observation> observations;
    private final Lease lease;

    StepContext(Workflow workflow, R resource, D data, List<Observation> observations, Lease lease) {
        this.workflow = workflow;
        this.resource = resource;
        this.data = data;
        this.observations = List.copyOf(observations);
        this.lease = lease;
    }

    public Workflow workflow() {
        return workflow;
    }

    public String operationId() {
        return workflow.operationId();
    }

    /** Failed tries of this step so far (0 on the first run). */
    public int attempts() {
        return workflow.attempts();
    }

    public R resource() {
        return resource;
    }

    public D data() {
        return data;
    }

    /** Observations waiting for this workflow, oldest first. */
    public List<Observation> observations() {
        return observations;
    }

    /** The newest observation of {@code kind} from {@code source}, if any. */
    public java.util.Optional<Observation> latest(String kind, String source) {
        Observation found = null;
        for (Observation o : observations) {
            if (o.kind().equals(kind) && java.util.Objects.equals(o.source(), source)) {
                found = o;
            }
        }
        return java.util.Optional.ofNullable(found);
    }

    long lastObservationId() {
        return observations.isEmpty() ? 0 : observations.get(observations.size() - 1).id();
    }

    /**
     * For steps that make several remote calls: call between them; once the
     * lease is known lost there is no point going on (the new owner runs the
     * step again, and nothing this run learns would be saved).
     *
     * @throws LeaseLostException if a renewal found the workflow taken over
     */
    public void ensureLease() {
        lease.ensureHeld();
    }
}

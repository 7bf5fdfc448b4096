package io.virga.gateway.instance;

/**
 * The new values of an instance's mutable lifecycle fields, derived from its
 * current row: {@code InstanceChange.of(current).status(ACTIVE).task(null)}.
 * Fields not touched keep their current values.
 */
public final class InstanceChange {
    private InstanceStatus status;
    private InstanceTask task;
    private String hostId;
    private String hostName;
    private String hostEndpoint;
    private Fault fault;
    private boolean quotaHeld;

    private InstanceChange(Instance current) {
        this.status = current.status();
        this.task = current.task();
        this.hostId = current.hostId();
        this.hostName = current.hostName();
        this.hostEndpoint = current.hostEndpoint();
        this.fault = current.fault();
        this.quotaHeld = current.quotaHeld();
    }

    public static InstanceChange of(Instance current) {
        return new InstanceChange(current);
    }

    public InstanceChange status(InstanceStatus value) {
        this.status = value;
        return this;
    }

    public InstanceChange task(InstanceTask value) {
        this.task = value;
        return this;
    }

    /** Sets the host (all three null to clear it). */
    public InstanceChange host(String id, String name, String endpoint) {
        this.hostId = id;
        this.hostName = name;
        this.hostEndpoint = endpoint;
        return this;
    }

    public InstanceChange fault(Fault value) {
        this.fault = value;
        return this;
    }

    /** Marks the project's quota for this instance as given back (the caller releases it in the same transaction). */
    public InstanceChange quotaReleased() {
        this.quotaHeld = false;
        return this;
    }

    public InstanceStatus status() {
        return status;
    }

    public InstanceTask task() {
        return task;
    }

    public String hostId() {
        return hostId;
    }

    public String hostName() {
        return hostName;
    }

    public String hostEndpoint() {
        return hostEndpoint;
    }

    public Fault fault() {
        return fault;
    }

    public boolean quotaHeld() {
        return quotaHeld;
    }
}

package io.virga.hypervisor;

/** An operation named a guest the driver does not know. */
public class GuestNotFoundException extends HypervisorException {
    private final String instanceId;

    public GuestNotFoundException(String instanceId) {
        super("guest " + instanceId + " not found");
        this.instanceId = instanceId;
    }

    public String instanceId() {
        return instanceId;
    }
}

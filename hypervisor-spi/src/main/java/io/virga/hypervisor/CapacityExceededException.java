package io.virga.hypervisor;

/** The host does not have the free vCPUs, RAM or disk that a guest needs. */
public class CapacityExceededException extends HypervisorException {
    public CapacityExceededException(String message) {
        super(message);
    }
}

package io.virga.hypervisor;

/** How a container instance runs. */
public enum ContainerMode {
    /** One application process, like {@code docker run}: the guest stops when it exits. */
    APP,
    /** A long-lived system container with its own init (PID 1), like LXC. */
    SYSTEM
}

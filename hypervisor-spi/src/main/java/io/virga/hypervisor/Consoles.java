package io.virga.hypervisor;

import java.util.List;

/** Optional capability: a guest's consoles. Trait {@link Traits#CONSOLE}. */
public interface Consoles {

    /**
     * The consoles the guest has now (a running VM: VNC on loopback and its serial log; a container:
     * its output log as SERIAL).
     *
     * @throws GuestNotFoundException for an unknown guest
     */
    List<ConsoleEndpoint> consoles(String instanceId);
}

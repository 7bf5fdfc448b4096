package io.virga.hypervisor;

import java.nio.channels.SocketChannel;

/**
 * Optional capability: a byte stream to a guest's graphical console, an RFB (VNC) server that listens only
 * on this host (a unix socket in the guest's directory, or loopback). Trait {@link Traits#GRAPHICAL_CONSOLE}.
 * The caller relays the bytes (the compute node to the API gateway's WebSocket); the driver does not look at
 * them.
 */
public interface GraphicalConsole {

    /**
     * Opens a new connection to the guest's RFB server. Each call is a new viewer of the same screen; the
     * caller owns the channel (blocking mode) and must close it. Nothing else changes.
     *
     * @return a connected channel on which the server speaks first ({@code RFB 003.008\n})
     * @throws GuestNotFoundException for an unknown guest
     * @throws GuestConflictException when the guest is neither RUNNING nor PAUSED (it has no screen then)
     * @throws HypervisorException when the server cannot be reached
     */
    SocketChannel openGraphicalConsole(String instanceId);
}

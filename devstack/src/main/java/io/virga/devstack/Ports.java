package io.virga.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback TCP port helpers. Everything devstack starts listens on 127.0.0.1 only.
 *
 * <p>Where a server cannot bind port 0 and report what it got (PostgreSQL, Kafka's
 * listeners, a service whose ports other processes must know in advance), its port comes
 * from {@link #allocate()}: outside the kernel's ephemeral range, so that an outgoing
 * connection can never take it first (see {@link PortAllocator}); the caller still retries
 * with a fresh port when the bind fails ({@link BindFailure}).
 */
public final class Ports {

    /** The only address devstack components listen on. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final PortAllocator ALLOCATOR = PortAllocator.forThisMachine();

    private Ports() {
    }

    /**
     * A port that is free on 127.0.0.1 now, lies outside the ephemeral range and was never
     * handed out before by this JVM. Another process choosing the same port at the same
     * moment is unlikely, not impossible: whoever binds it retries with a fresh one if the
     * bind fails.
     *
     * @throws DevstackException when no candidate port is free
     */
    public static int allocate() {
        return ALLOCATOR.allocate(Ports::isFree);
    }

    /** The candidate range(s) of {@link #allocate()} on this machine, e.g. {@code 20000-32000}. */
    public static String allocationRange() {
        return ALLOCATOR.describe();
    }

    /** True when 127.0.0.1:{@code port} can be bound right now (with SO_REUSEADDR, as servers do). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when a TCP connection to 127.0.0.1:{@code port} succeeds within {@code timeoutMs}. */
    public static boolean isOpen(int port, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), timeoutMs);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

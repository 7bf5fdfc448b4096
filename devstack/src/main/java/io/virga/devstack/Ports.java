package io.virga.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback TCP port helpers. Everything devstack starts listens on 127.0.0.1 only. */
public final class Ports {

    /** The only address devstack components listen on. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /**
     * A port that was free on 127.0.0.1 a moment ago. Another process may still take it
     * before the caller binds it; callers that cannot tolerate that retry.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    /** {@code port} itself when positive, otherwise a {@link #freePort()}. */
    public static int orFree(int port) {
        return port > 0 ? port : freePort();
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

package io.virga.hypervisor.sim;

import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BiFunction;

/**
 * The sim's live migration: a real hand-over between two sim drivers, even in two processes, over one
 * loopback TCP connection. The destination listens on {@code 127.0.0.1:<free port>} for its prepared
 * guest ({@code sim+tcp://127.0.0.1:<port>/<instance id>}); the source sends one line,
 * {@code VIRGA-SIM-MIGRATE 1 <instance id> <startedAt>}, the destination takes the guest over (it now
 * runs there, with the source's boot time) and answers {@code OK}, or {@code ERR <reason>}. Only on
 * {@code OK} does the source remove its copy, so the guest is never on neither host.
 */
final class SimMigration {
    static final String SCHEME = "sim+tcp";
    private static final String HELLO = "VIRGA-SIM-MIGRATE 1";
    private static final int TIMEOUT_MS = 60_000;

    private SimMigration() {
    }

    /** A destination waiting for one guest; {@link #close()} stops waiting. */
    static final class Listener implements AutoCloseable {
        private final ServerSocket server;
        private final MigrationEndpoint endpoint;

        /**
         * Listens for {@code instanceId}; {@code arrive} is called with the id and the guest's boot time when
         * the source sends it, and returns null when the guest was taken over, or the reason it was not.
         */
        Listener(String instanceId, BiFunction<String, Instant, String> arrive) {
            try {
                server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new HypervisorException("cannot listen for migrating guest " + instanceId + ": " + e.getMessage(), e);
            }
            endpoint = new MigrationEndpoint(SCHEME + "://127.0.0.1:" + server.getLocalPort() + "/" + instanceId, true);
            Thread t = new Thread(() -> serve(instanceId, arrive), "virga-sim-migrate-" + instanceId);
            t.setDaemon(true);
            t.start();
        }

        MigrationEndpoint endpoint() {
            return endpoint;
        }

        private void serve(String instanceId, BiFunction<String, Instant, String> arrive) {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(TIMEOUT_MS);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    String error = handle(instanceId, line, arrive);
                    OutputStream out = s.getOutputStream();
                    out.write((error == null ? "OK\n" : "ERR " + error + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (error == null) {
                        close();
                    }
                } catch (IOException | RuntimeException e) {
                    if (!server.isClosed()) {
                        System.getLogger(SimMigration.class.getName()).log(System.Logger.Level.WARNING,
                                "migration of " + instanceId + " failed on the destination: " + e.getMessage());
                    }
                }
            }
        }

        private static String handle(String instanceId, String line, BiFunction<String, Instant, String> arrive) {
            String[] parts = line == null ? new String[0] : line.split(" ");
            if (parts.length != 4 || !(parts[0] + " " + parts[1]).equals(HELLO)) {
                return "not a sim migration: " + line;
            }
            if (!parts[2].equals(instanceId)) {
                return "this endpoint waits for " + instanceId + ", not " + parts[2];
            }
            try {
                return arrive.apply(instanceId, Instant.parse(parts[3]));
            } catch (java.time.format.DateTimeParseException e) {
                return "bad boot time " + parts[3];
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    /**
     * Source: hands {@code instanceId} to the destination at {@code target}, blocking until it runs there.
     *
     * @throws GuestConflictException when {@code target} is not a live sim endpoint
     * @throws HypervisorException    when the destination cannot be reached or refuses the guest
     */
    static void send(String instanceId, Instant startedAt, MigrationEndpoint target) {
        URI uri;
        try {
            uri = URI.create(target.uri());
        } catch (IllegalArgumentException e) {
            throw new GuestConflictException("destination " + target.uri() + " is not a sim endpoint");
        }
        if (!target.live() || !SCHEME.equals(uri.getScheme()) || uri.getPort() < 1) {
            throw new GuestConflictException("destination " + target.uri() + " does not wait for a live sim migration");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write((HELLO + " " + instanceId + " " + startedAt + "\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"OK".equals(reply)) {
                throw new HypervisorException("destination " + target.uri() + " refused guest " + instanceId + ": "
                        + (reply == null ? "no answer" : reply.replaceFirst("^ERR ", "")));
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot migrate guest " + instanceId + " to " + target.uri() + ": "
                    + e.getMessage(), e);
        }
    }
}

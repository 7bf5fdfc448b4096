package io.virga.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code virga status}: one line per process, with a live health check. */
final class StatusCommand {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StatusCommand() {
    }

    /** Prints the table; returns 0 when everything is alive and healthy, 1 when not, 3 when not running. */
    static int print(StateFile stateFile) {
        Optional<StateFile.State> read = stateFile.read();
        if (read.isEmpty()) {
            System.out.println("not running (no " + stateFile.path() + ")");
            return 3;
        }
        StateFile.State state = read.get();
        boolean supervisor = Main.supervisorAlive(state);
        System.out.printf("supervisor pid %d: %s%n", state.supervisorPid(),
                supervisor ? state.status().name().toLowerCase(java.util.Locale.ROOT) : "NOT RUNNING (stale state)");
        String format = "%-14s %8s  %-18s %-9s %-27s %s%n";
        System.out.printf(format, "NAME", "PID", "STATE", "HEALTH", "PORTS", "LOG");
        boolean healthy = supervisor;
        for (StateFile.Entry e : state.processes()) {
            boolean alive = StateFile.live(e.pid(), e.startedAt()).isPresent();
            String health = !alive ? "dead" : health(e);
            healthy &= "ok".equals(health);
            String ports = e.ports().entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                    .collect(Collectors.joining(" "));
            System.out.printf(format, e.name(), e.pid(), e.state(), health, ports, e.log());
        }
        if (state.gatewayUrl() != null) {
            System.out.println("API " + state.gatewayUrl() + "  admin token file " + state.adminTokenFile());
        }
        return healthy ? 0 : 1;
    }

    private static String health(StateFile.Entry e) {
        if (e.health() == null) {
            Integer tcp = e.ports().getOrDefault("tcp", 0);
            return Ports.isOpen(tcp, 1000) ? "ok" : "no-tcp";
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(e.health())).timeout(Duration.ofSeconds(2))
                    .GET().build();
            int code = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 ? "ok" : "http-" + code;
        } catch (IOException ex) {
            return "no-answer";
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

package io.virga.devstack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link StateFile.State} of a {@link Supervisor}. */
final class SupervisorState {

    private SupervisorState() {
    }

    static StateFile.State of(Supervisor s) {
        List<StateFile.Entry> entries = new ArrayList<>();
        PostgresServer pg = s.postgres();
        if (pg != null) {
            entries.add(new StateFile.Entry("postgres", pg.pid(), started(pg.pid()),
                    pg.isRunning() ? s.state("postgres") : "exited", Map.of("tcp", pg.port()), pg.logFile().toString(), null));
        }
        KafkaBroker kafka = s.kafka();
        if (kafka != null) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("tcp", kafka.port());
            ports.put("controller", kafka.controllerPort());
            entries.add(new StateFile.Entry("kafka", kafka.pid(), started(kafka.pid()),
                    kafka.isRunning() ? s.state("kafka") : "exited", ports, kafka.logFile().toString(), null));
        }
        for (ManagedProcess p : s.processes()) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("http", p.httpPort());
            ports.put("grpc", p.grpcPort());
            entries.add(new StateFile.Entry(p.name(), p.pid(), p.startedAt().toString(), s.state(p.name()),
                    ports, p.logFile().toString(), p.healthUrl()));
        }
        ProcessHandle self = ProcessHandle.current();
        return new StateFile.State(self.pid(), self.info().startInstant().map(Instant::toString).orElse(null),
                s.status(), s.gatewayUrl(), s.options().home().resolve("admin-token").toString(), entries);
    }

    private static String started(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toString).orElse(null);
    }
}

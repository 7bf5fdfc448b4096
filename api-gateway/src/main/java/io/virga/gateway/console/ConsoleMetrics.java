package io.virga.gateway.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graphical console meters: {@code virga.console.sessions} (gauge: WebSockets relaying a guest's screen now)
 * and {@code virga.console.opens} (counter by {@code outcome}: {@code ok}, {@code unknown}, {@code expired},
 * {@code wrong_instance}, {@code gone}). Prometheus: {@code virga_console_sessions},
 * {@code virga_console_opens_total}.
 */
@ApplicationScoped
public class ConsoleMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger sessions = new AtomicInteger();

    public ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("virga.console.sessions", sessions, AtomicInteger::get)
                .description("Graphical console sessions relayed now").register(registry);
    }

    /** One WebSocket open, by how its ticket fared. */
    void opened(String outcome) {
        Counter.builder("virga.console.opens").description("Graphical console WebSocket opens by ticket outcome")
                .tag("outcome", outcome).register(registry).increment();
    }

    void sessionStarted() {
        sessions.incrementAndGet();
    }

    void sessionEnded() {
        sessions.decrementAndGet();
    }
}

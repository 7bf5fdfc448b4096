package io.virga.gateway.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of the event stream and of operation long-polls ({@code virga.gateway.events.*}). */
@ConfigMapping(prefix = "virga.gateway.events")
public interface StreamConfig {
    /** Record events and serve {@code GET /v1/events} in this process. */
    @WithDefault("true")
    boolean enabled();

    /** A comment line ({@code : keep-alive}) is sent to an idle client this often, so proxies keep the stream. */
    @WithDefault("15s")
    Duration heartbeat();

    /**
     * Frames queued for one client before it counts as too slow: the client is then dropped with a final
     * {@code stream.dropped} event naming the last id it was sent, and may reconnect with {@code Last-Event-ID}.
     */
    @WithDefault("1000")
    int clientBuffer();

    /** How long events stay resumable; older rows are pruned and a resume from before them gets {@code stream.reset}. */
    @WithDefault("24h")
    Duration retention();

    /** How often the tailer re-reads the table when no NOTIFY arrives (NOTIFY wakes it at once). */
    @WithDefault("1s")
    Duration pollInterval();

    /** The longest {@code ?wait=} of {@code GET /v1/operations/{id}}. */
    @WithDefault("60s")
    Duration maxWait();

    /** How often pending long-polls re-check their operations in the database (a safety net for missed events). */
    @WithDefault("2s")
    Duration waitRecheck();
}

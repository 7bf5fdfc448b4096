package io.virga.platform.kafka;

import java.time.Instant;

/**
 * What a supervised consumer shows of itself (readiness and metrics read it).
 *
 * @param name      the consumer's name (its Kafka group and inbox key)
 * @param up        whether its Kafka consumer is polling now (false while it restarts after a failure)
 * @param restarts  how often it was restarted after a failure, since start
 * @param parked    records it parked on the dead-letter topic, since start
 * @param failingSince when the record it is stuck on first failed, or null when it is not stuck
 * @param lastError the last failure, or null
 */
public record ConsumerHealth(String name, boolean up, long restarts, long parked, Instant failingSince,
                             String lastError) {

    /** One line for a health report, e.g. {@code up, restarts=1, parked=0, stuck since 2026-…}. */
    public String describe() {
        return (up ? "up" : "restarting") + ", restarts=" + restarts + ", parked=" + parked
                + (failingSince == null ? "" : ", stuck since " + failingSince)
                + (lastError == null ? "" : ", last error: " + lastError);
    }
}

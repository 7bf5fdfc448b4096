package io.virga.scheduler.host;

import io.virga.contracts.events.v1.HostReport;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.ProtoJson;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.EventHandler;
import java.sql.Connection;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Applies {@code io.virga.host.report} events to the hosts table (upsert by
 * host id). Other event types on the topic are ignored. A report that can
 * never be applied (no host id) is logged and dropped rather than retried
 * forever. Totals are stored as reported, even below current usage: the
 * filters then simply see no room on that host.
 */
public final class HostReportHandler implements EventHandler {
    private static final Logger LOG = Logger.getLogger(HostReportHandler.class);

    private final HostStore hosts;
    private final Clock clock;

    public HostReportHandler(HostStore hosts, Clock clock) {
        this.hosts = hosts;
        this.clock = clock;
    }

    @Override
    public void handle(CloudEvent event, Connection tx) throws Exception {
        if (!Topics.TYPE_HOST_REPORT.equals(event.type())) {
            return;
        }
        HostInventory inventory;
        try {
            HostReport report = ProtoJson.parse(event.data(), HostReport.newBuilder());
            inventory = HostInventory.from(report, event.time(), clock.instant());
        } catch (IllegalArgumentException e) {
            LOG.warnf("dropping host report %s: %s", event.id(), e.getMessage());
            return;
        }
        if (!hosts.upsert(tx, inventory)) {
            LOG.debugf("host report %s for %s is older than the stored heartbeat; ignored", event.id(),
                    inventory.hostId());
        }
    }
}

package io.virga.gateway.instance;

import io.virga.contracts.events.v1.InstanceStatusChanged;
import io.virga.gateway.events.GatewayEventing;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The only writer of an instance's lifecycle fields. Every change is a
 * compare-and-set on {@code version}, checked against
 * {@link InstanceTransitions}, and — when status or task changes — appends an
 * {@code InstanceStatusChanged} event (topic {@value Topics#GATEWAY_INSTANCES})
 * to the outbox in the same transaction.
 */
@ApplicationScoped
public class InstanceStateWriter {
    private final GatewayEventing eventing;

    public InstanceStateWriter(GatewayEventing eventing) {
        this.eventing = eventing;
    }

    /**
     * Applies {@code change} to {@code current} in transaction {@code c}.
     *
     * @return the instance as written (version + 1)
     * @throws IllegalTransitionException when the status change is not declared
     * @throws StaleInstanceException     when the row is no longer at {@code current.version()}
     */
    public Instance apply(Connection c, Instance current, InstanceChange change) throws SQLException {
        InstanceStatus to = change.status();
        if (to != current.status() && !InstanceTransitions.allowed(current.status(), to)) {
            throw new IllegalTransitionException(current.id(), current.status(), to);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant deletedAt = to == InstanceStatus.DELETED ? now : null;
        try (PreparedStatement ps = c.prepareStatement("UPDATE instances SET status = ?, task = ?, host_id = ?,"
                + " host_name = ?, host_endpoint = ?, fault_message = ?, fault_code = ?, quota_held = ?,"
                + " deleted_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, change.task() == null ? null : change.task().value());
            ps.setString(3, change.hostId());
            ps.setString(4, change.hostName());
            ps.setString(5, change.hostEndpoint());
            ps.setString(6, change.fault() == null ? null : change.fault().message());
            ps.setString(7, change.fault() == null ? null : change.fault().code());
            ps.setBoolean(8, change.quotaHeld());
            ps.setTimestamp(9, deletedAt == null ? null : Timestamp.from(deletedAt));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setString(11, current.id());
            ps.setLong(12, current.version());
            if (ps.executeUpdate() != 1) {
                throw new StaleInstanceException(current.id(), current.version());
            }
        }
        Instance written = current.withLifecycle(to, change.task(), change.hostId(), change.hostName(),
                change.hostEndpoint(), change.fault(), change.quotaHeld(), current.version() + 1, now, deletedAt);
        if (to != current.status() || change.task() != current.task()) {
            publish(c, written, current.status().name());
        }
        return written;
    }

    /** Appends the event for a newly inserted instance (previous status empty). */
    public void created(Connection c, Instance inserted) throws SQLException {
        publish(c, inserted, "");
    }

    private void publish(Connection c, Instance i, String previous) throws SQLException {
        InstanceStatusChanged.Builder event = InstanceStatusChanged.newBuilder()
                .setInstanceId(i.id())
                .setProjectId(i.projectId())
                .setStatus(i.status().name())
                .setPreviousStatus(previous)
                .setTask(i.task() == null ? "" : i.task().value())
                .setHostId(i.hostId() == null ? "" : i.hostId())
                .setFaultMessage(i.fault() == null ? "" : i.fault().message());
        eventing.eventing().outbox().append(c, Topics.GATEWAY_INSTANCES,
                CloudEvent.of(eventing.eventing().source(), Topics.TYPE_INSTANCE_STATUS, i.id(), event));
    }
}

package io.virga.gateway.auditlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.events.GatewayEventing;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit_log} table and its Kafka copy. {@link #write} inserts the row and appends the event for
 * topic {@value #TOPIC} to the outbox in one short transaction: the event reaches Kafka exactly when the row
 * committed (the outbox relay retries until Kafka takes it).
 */
@ApplicationScoped
public class AuditLogStore {
    public static final String TOPIC = "virga.audit.v1";
    public static final String TYPE = "io.virga.audit.recorded";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tx tx;
    private final GatewayEventing eventing;

    public AuditLogStore(Tx tx, GatewayEventing eventing) {
        this.tx = tx;
        this.eventing = eventing;
    }

    /** Stores {@code e} and queues its event (Kafka key: the project id, so one project's entries stay in order). */
    public void write(AuditEntry e) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (id, at, token_id, project_id, role,"
                    + " cloud_admin, method, route, path, resource_id, created_id, status, request_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.id());
                ps.setTimestamp(2, Timestamp.from(e.at()));
                ps.setString(3, e.tokenId());
                ps.setString(4, e.projectId());
                ps.setString(5, e.role());
                ps.setBoolean(6, e.cloudAdmin());
                ps.setString(7, e.method());
                ps.setString(8, e.route());
                ps.setString(9, e.path());
                ps.setString(10, e.resourceId());
                ps.setString(11, e.createdId());
                ps.setInt(12, e.status());
                ps.setString(13, e.requestId());
                ps.executeUpdate();
            }
            var ev = eventing.eventing();
            ev.outbox().append(c, TOPIC, new CloudEvent(e.id(), ev.source(), TYPE,
                    e.projectId() == null ? "-" : e.projectId(), e.at(), json(e)));
            return null;
        });
    }

    /** Filters of {@code GET /v1/audit}; null fields do not filter. {@code beforeSeq}: the cursor (exclusive). */
    public record Query(String projectId, String actor, String resource, Instant since, Instant until,
                        Long beforeSeq, int limit) {
    }

    /** A row and its seq (the cursor key). */
    public record Row(long seq, AuditEntry entry) {
    }

    /** Matching rows, newest first, at most {@code q.limit()}: filtering and paging happen in the database. */
    public List<Row> find(Query q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE true");
        List<Object> args = new ArrayList<>();
        if (q.projectId() != null) {
            sql.append(" AND project_id = ?");
            args.add(q.projectId());
        }
        if (q.actor() != null) {
            sql.append(" AND token_id = ?");
            args.add(q.actor());
        }
        if (q.resource() != null) {
            sql.append(" AND (resource_id = ? OR created_id = ?)");
            args.add(q.resource());
            args.add(q.resource());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            args.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            args.add(Timestamp.from(q.until()));
        }
        if (q.beforeSeq() != null) {
            sql.append(" AND seq < ?");
            args.add(q.beforeSeq());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(q.limit());
        return tx.run(c -> query(c, sql.toString(), args));
    }

    private static List<Row> query(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getLong("seq"), new AuditEntry(rs.getString("id"),
                            rs.getTimestamp("at").toInstant(), rs.getString("token_id"), rs.getString("project_id"),
                            rs.getString("role"), rs.getBoolean("cloud_admin"), rs.getString("method"),
                            rs.getString("route"), rs.getString("path"), rs.getString("resource_id"),
                            rs.getString("created_id"), rs.getInt("status"), rs.getString("request_id"))));
                }
            }
            return out;
        }
    }

    /** The event data (snake_case), the same fields as the API shows. */
    static ObjectNode json(AuditEntry e) {
        return JSON.valueToTree(AuditEntryView.of(e));
    }
}

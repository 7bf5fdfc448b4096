package io.virga.gateway.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one mailbox of all workflows ({@code workflow_mailbox}): whoever learns
 * something a workflow may wait for (the power-state consumer, later volume
 * and port consumers) {@link #post}s it to the resource's active workflow, in
 * its own transaction. Posting makes that workflow due at once and NOTIFYs
 * the runners (delivered when the transaction commits), so no poll interval
 * stands between an observation and the step waiting for it.
 */
@ApplicationScoped
public class Mailbox {
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    /**
     * Delivers an observation to the resource's active workflow, if it has one.
     *
     * @return the operation id of the workflow it was delivered to; empty when no workflow is active
     */
    public Optional<String> post(Connection c, String resourceType, String resourceId, String kind, String source,
                                 Map<String, String> payload) throws SQLException {
        String opId;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workflow_mailbox (operation_id, kind, source,"
                + " payload) SELECT operation_id, ?, ?, ?::jsonb FROM workflows WHERE resource_type = ?"
                + " AND resource_id = ? AND " + WorkflowRepository.ACTIVE + " RETURNING operation_id")) {
            ps.setString(1, kind);
            ps.setString(2, source);
            ps.setString(3, FlowData.json().writeValueAsString(payload));
            ps.setString(4, resourceType);
            ps.setString(5, resourceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                opId = rs.getString(1);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET next_run_at = LEAST(next_run_at, now())"
                + " WHERE operation_id = ?")) {
            ps.setString(1, opId);
            ps.executeUpdate();
        }
        WorkflowSignals.notify(c, opId);
        return Optional.of(opId);
    }

    /** The observations waiting for workflow {@code operationId}, oldest first. */
    public List<Observation> pending(Connection c, String operationId) throws SQLException {
        List<Observation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, source, payload::text, received_at"
                + " FROM workflow_mailbox WHERE operation_id = ? ORDER BY id")) {
            ps.setString(1, operationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Observation(rs.getLong(1), rs.getString(2), rs.getString(3), fields(rs.getString(4)),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    /** Deletes the workflow's observations up to {@code upToId} (inclusive); all of them when null. */
    void consume(Connection c, String operationId, Long upToId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM workflow_mailbox WHERE operation_id = ?"
                + (upToId == null ? "" : " AND id <= ?"))) {
            ps.setString(1, operationId);
            if (upToId != null) {
                ps.setLong(2, upToId);
            }
            ps.executeUpdate();
        }
    }

    private static Map<String, String> fields(String json) {
        try {
            return java.util.Collections.unmodifiableMap(FlowData.json().readValue(json, FIELDS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable observation payload " + json, e);
        }
    }
}

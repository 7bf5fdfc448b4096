package io.virga.gateway.operation;

import io.virga.gateway.instance.Fault;
import io.virga.gateway.instance.ListCursor;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Operation records and their steps, in the caller's transaction. Steps are
 * appended in order; a step that runs again right after itself (a retry, a
 * wait) keeps one row whose detail tells the latest attempt.
 */
@ApplicationScoped
public class OperationRepository {
    private final io.virga.gateway.stream.OperationEvents events;

    /** @param events appends operation started / finished events in the same transaction (the event stream) */
    public OperationRepository(io.virga.gateway.stream.OperationEvents events) {
        this.events = events;
    }

    public void insert(Connection c, String id, String projectId, OperationKind kind, String resourceId,
                       Instant createdAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operations (id, project_id, kind, resource_id,"
                + " status, created_at) VALUES (?, ?, ?, ?, 'RUNNING', ?)")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, kind.value());
            ps.setString(4, resourceId);
            ps.setTimestamp(5, Timestamp.from(createdAt));
            ps.executeUpdate();
        }
        events.started(c, id, projectId, kind.value(), resourceId);
    }

    public Optional<Operation> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM operations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(withSteps(c, row(rs))) : Optional.empty();
            }
        }
    }

    /** The newest operation of {@code kind} on a resource. */
    public Optional<Operation> latestFor(Connection c, String resourceId, OperationKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM operations WHERE resource_id = ? AND kind = ?"
                + " ORDER BY created_at DESC LIMIT 1")) {
            ps.setString(1, resourceId);
            ps.setString(2, kind.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(withSteps(c, row(rs))) : Optional.empty();
            }
        }
    }

    /** One page of a project's operations, newest last, after {@code after} (exclusive). */
    public List<Operation> list(Connection c, String projectId, ListCursor after, int limit) throws SQLException {
        String sql = "SELECT * FROM operations WHERE project_id = ?"
                + (after == null ? "" : " AND (created_at, id) > (?, ?)") + " ORDER BY created_at, id LIMIT ?";
        List<Operation> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 1;
            ps.setString(n++, projectId);
            if (after != null) {
                ps.setTimestamp(n++, Timestamp.from(after.createdAt()));
                ps.setString(n++, after.id());
            }
            ps.setInt(n, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        List<Operation> out = new ArrayList<>(rows.size());
        for (Operation o : rows) {
            out.add(withSteps(c, o));
        }
        return out;
    }

    /** Marks step {@code name} as running: a new row, unless the latest row is this step and still running. */
    public void beginStep(Connection c, String operationId, String name) throws SQLException {
        Optional<LastStep> last = lastStep(c, operationId);
        if (last.isPresent() && last.get().name.equals(name) && last.get().status == OperationStatus.RUNNING) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO operation_steps (operation_id, seq, name, status)"
                + " VALUES (?, ?, ?, 'RUNNING')")) {
            ps.setString(1, operationId);
            ps.setInt(2, last.map(l -> l.seq + 1).orElse(1));
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    /** Sets the detail of the running step {@code name} (e.g. "attempt 2 failed: …"); no-op if it is not running. */
    public void noteStep(Connection c, String operationId, String name, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE operation_steps SET detail = ? WHERE operation_id = ?"
                + " AND name = ? AND status = 'RUNNING'")) {
            ps.setString(1, detail);
            ps.setString(2, operationId);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    /** Ends the running step {@code name} (begun if it was not). */
    public void finishStep(Connection c, String operationId, String name, OperationStatus status, String detail)
            throws SQLException {
        beginStep(c, operationId, name);
        try (PreparedStatement ps = c.prepareStatement("UPDATE operation_steps SET status = ?, detail = ?,"
                + " finished_at = now() WHERE operation_id = ? AND name = ? AND status = 'RUNNING'")) {
            ps.setString(1, status.name());
            ps.setString(2, detail);
            ps.setString(3, operationId);
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    /**
     * Ends the operation (no-op when it already ended). A step still running
     * is closed as FAILED with {@code fault}'s message, or SUCCEEDED when there is no fault.
     */
    public void finish(Connection c, String operationId, OperationStatus status, Fault fault) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE operation_steps SET status = ?, detail ="
                + " coalesce(?, detail), finished_at = now() WHERE operation_id = ? AND status = 'RUNNING'")) {
            ps.setString(1, fault == null ? OperationStatus.SUCCEEDED.name() : OperationStatus.FAILED.name());
            ps.setString(2, fault == null ? null : fault.message());
            ps.setString(3, operationId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE operations SET status = ?, fault_message = ?,"
                + " fault_code = ?, finished_at = now() WHERE id = ? AND status = 'RUNNING'"
                + " RETURNING project_id, kind, resource_id")) {
            ps.setString(1, status.name());
            ps.setString(2, fault == null ? null : fault.message());
            ps.setString(3, fault == null ? null : fault.code());
            ps.setString(4, operationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    events.finished(c, operationId, rs.getString(1), rs.getString(2), rs.getString(3),
                            status.name(), fault == null ? null : fault.message());
                }
            }
        }
    }

    private record LastStep(int seq, String name, OperationStatus status) {
    }

    private static Optional<LastStep> lastStep(Connection c, String operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, name, status FROM operation_steps"
                + " WHERE operation_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, operationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new LastStep(rs.getInt(1), rs.getString(2),
                                OperationStatus.valueOf(rs.getString(3))))
                        : Optional.empty();
            }
        }
    }

    private static Operation withSteps(Connection c, Operation o) throws SQLException {
        List<OperationStep> steps = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, status, started_at, finished_at, detail"
                + " FROM operation_steps WHERE operation_id = ? ORDER BY seq")) {
            ps.setString(1, o.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(new OperationStep(rs.getString(1), OperationStatus.valueOf(rs.getString(2)),
                            instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)), rs.getString(5)));
                }
            }
        }
        return new Operation(o.id(), o.projectId(), o.kind(), o.resourceId(), o.status(), List.copyOf(steps),
                o.fault(), o.createdAt(), o.finishedAt(), o.result());
    }

    private static Operation row(ResultSet rs) throws SQLException {
        String faultMessage = rs.getString("fault_message");
        return new Operation(rs.getString("id"), rs.getString("project_id"),
                OperationKind.fromValue(rs.getString("kind")), rs.getString("resource_id"),
                OperationStatus.valueOf(rs.getString("status")), List.of(),
                faultMessage == null ? null : new Fault(faultMessage, rs.getString("fault_code")),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("finished_at")),
                result(rs.getString("result")));
    }

    /** Records what the operation produced (replacing an earlier result), e.g. {"image_id": "img-…"}. */
    public void result(Connection c, String operationId, java.util.Map<String, String> result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE operations SET result = ?::jsonb WHERE id = ?")) {
            ps.setString(1, RESULT_JSON.writeValueAsString(result));
            ps.setString(2, operationId);
            ps.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper RESULT_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static java.util.Map<String, String> result(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            return java.util.Map.copyOf(RESULT_JSON.readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { }));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable operation result " + json, e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

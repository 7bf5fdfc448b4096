package io.virga.gateway.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stacks, the resources each owns and reviewed plans, in the caller's transaction.
 *
 * <p>Stack status table (every write a compare-and-set on the status):
 * <pre>
 * (none)         -- plan/apply -->  PLANNED / APPLYING
 * PLANNED, APPLIED, FAILED, DESTROY_FAILED -- apply   --> APPLYING
 * APPLYING       -- ends        --> APPLIED | FAILED
 * PLANNED, APPLIED, FAILED, DESTROY_FAILED -- destroy --> DESTROYING
 * DESTROYING     -- ends        --> (row deleted) | DESTROY_FAILED
 * </pre>
 */
@ApplicationScoped
public class StackStore {
    /** Statuses from which an apply or destroy may start. */
    static final List<String> IDLE = List.of("PLANNED", "APPLIED", "FAILED", "DESTROY_FAILED");

    private final ObjectMapper json;

    public StackStore(ObjectMapper json) {
        this.json = json;
    }

    /** A stack row. */
    public record Row(String projectId, String name, String status, String spec, JsonNode variables, JsonNode outputs,
            String lastOperationId, String createdAt, String updatedAt) {
    }

    public Optional<Row> find(Connection c, String projectId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM stacks WHERE project_id = ? AND name = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public List<Row> list(Connection c, String projectId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM stacks WHERE project_id = ? ORDER BY name")) {
            ps.setString(1, projectId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /** Makes the stack PLANNED when it does not exist yet (no-op otherwise). */
    public void ensure(Connection c, String projectId, String name, String spec, JsonNode variables)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stacks (project_id, name, status, spec, variables)"
                + " VALUES (?, ?, 'PLANNED', ?, ?::jsonb) ON CONFLICT DO NOTHING")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            ps.setString(3, spec);
            ps.setString(4, text(variables));
            ps.executeUpdate();
        }
    }

    /**
     * Moves an idle stack to {@code status} (APPLYING or DESTROYING) for {@code operationId}; false when
     * it is busy. {@code spec} null keeps the stored spec.
     */
    public boolean claim(Connection c, String projectId, String name, String status, String operationId, String spec,
            JsonNode variables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stacks SET status = ?, last_operation_id = ?,"
                + " spec = coalesce(?, spec), variables = coalesce(?::jsonb, variables), updated_at = now()"
                + " WHERE project_id = ? AND name = ? AND status = ANY (?)")) {
            ps.setString(1, status);
            ps.setString(2, operationId);
            ps.setString(3, spec);
            ps.setString(4, variables == null ? null : text(variables));
            ps.setString(5, projectId);
            ps.setString(6, name);
            ps.setArray(7, c.createArrayOf("text", IDLE.toArray()));
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends an apply or destroy: the stack's new status and outputs (null keeps them). */
    public void settle(Connection c, String projectId, String name, String status, JsonNode outputs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stacks SET status = ?, outputs = coalesce(?::jsonb,"
                + " outputs), updated_at = now() WHERE project_id = ? AND name = ?")) {
            ps.setString(1, status);
            ps.setString(2, outputs == null ? null : text(outputs));
            ps.setString(3, projectId);
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    public void drop(Connection c, String projectId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stacks WHERE project_id = ? AND name = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    public Map<String, StoredResource> resources(Connection c, String projectId, String name) throws SQLException {
        Map<String, StoredResource> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM stack_resources WHERE project_id = ? AND"
                + " stack_name = ? ORDER BY updated_at, address")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LinkedHashSet<String> deps = new LinkedHashSet<>();
                    tree(rs.getString("depends_on")).forEach(d -> deps.add(d.asText()));
                    String address = rs.getString("address");
                    out.put(address, new StoredResource(address, Kind.of(rs.getString("kind")).orElseThrow(),
                            rs.getString("resource_id"), tree(rs.getString("inputs")), tree(rs.getString("outputs")),
                            deps));
                }
            }
        }
        return out;
    }

    public void save(Connection c, String projectId, String name, StoredResource r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stack_resources (project_id, stack_name, address,"
                + " kind, resource_id, inputs, outputs, depends_on) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb,"
                + " ?::jsonb) ON CONFLICT (project_id, stack_name, address) DO UPDATE SET kind = excluded.kind,"
                + " resource_id = excluded.resource_id, inputs = excluded.inputs, outputs = excluded.outputs,"
                + " depends_on = excluded.depends_on, updated_at = now()")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            ps.setString(3, r.address());
            ps.setString(4, r.kind().wireName());
            ps.setString(5, r.id());
            ps.setString(6, text(r.inputs()));
            ps.setString(7, text(r.outputs()));
            ps.setString(8, text(json.valueToTree(r.dependsOn())));
            ps.executeUpdate();
        }
    }

    public void remove(Connection c, String projectId, String name, String address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stack_resources WHERE project_id = ? AND"
                + " stack_name = ? AND address = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            ps.setString(3, address);
            ps.executeUpdate();
        }
    }

    /** A reviewed plan: the spec and variables it was made from and its fingerprint. */
    public record SavedPlan(String id, String projectId, String stackName, String spec, JsonNode variables,
            String fingerprint) {
    }

    public void savePlan(Connection c, SavedPlan p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stack_plans (id, project_id, stack_name, spec,"
                + " variables, fingerprint) VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.projectId());
            ps.setString(3, p.stackName());
            ps.setString(4, p.spec());
            ps.setString(5, text(p.variables()));
            ps.setString(6, p.fingerprint());
            ps.executeUpdate();
        }
    }

    public Optional<SavedPlan> plan(Connection c, String projectId, String stackName, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM stack_plans WHERE id = ? AND project_id = ?"
                + " AND stack_name = ?")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, stackName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SavedPlan(id, projectId, stackName, rs.getString("spec"),
                        tree(rs.getString("variables")), rs.getString("fingerprint"))) : Optional.empty();
            }
        }
    }

    private Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("project_id"), rs.getString("name"), rs.getString("status"), rs.getString("spec"),
                tree(rs.getString("variables")), tree(rs.getString("outputs")), rs.getString("last_operation_id"),
                rs.getTimestamp("created_at").toInstant().toString(),
                rs.getTimestamp("updated_at").toInstant().toString());
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.virga.gateway.project;

import io.virga.gateway.error.ApiException;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code DELETE /v1/projects/{id}} (cloud admin). Refused with 409 while the project holds anything: instances
 * that are not DELETED (gateway database) or anything {@link ProjectHoldings} counts in the other services; the
 * problem's {@code holdings} lists the counts. The system project is never deleted (409).
 * <p>
 * What the delete does, in one transaction that first locks the project's quota row (instance creates reserve
 * through that row, so a create either committed before, and is counted, or runs after and is refused): marks the
 * project deleted ({@code deleted_at}; it disappears from the API, its name is free again), sets its limits to 0,
 * revokes every token, deletes its key pairs. Its history (operations, DELETED instances, audit) stays.
 * Tokens are not "holdings": they are credentials and die with the project.
 */
@ApplicationScoped
public class ProjectDeletion {
    private final Tx tx;
    private final ProjectHoldings holdings;

    public ProjectDeletion(Tx tx, ProjectHoldings holdings) {
        this.tx = tx;
        this.holdings = holdings;
    }

    /**
     * @throws ApiException 404 no such (live) project; 409 system project or it holds something; 503 a service
     *                      cannot say what the project holds
     */
    public void delete(String projectId) {
        Project p = tx.run(c -> find(c, projectId));
        if (p.system()) {
            throw ApiException.conflict("the system project cannot be deleted");
        }
        Map<String, Long> elsewhere = holdings.count(projectId);
        tx.run(c -> {
            lockQuota(c, projectId);
            Project again = find(c, projectId);
            Map<String, Long> held = new LinkedHashMap<>();
            long instances = count(c, "SELECT count(*) FROM instances WHERE project_id = ? AND status <> 'DELETED'",
                    again.id());
            if (instances > 0) {
                held.put("instances", instances);
            }
            held.putAll(elsewhere);
            if (!held.isEmpty()) {
                String what = held.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "));
                throw new ApiException(409, ApiException.TYPE_BASE + "conflict", "Conflict", "project " + projectId
                        + " still holds " + what + "; delete them first", java.util.List.of(),
                        Map.of("holdings", held));
            }
            exec(c, "UPDATE projects SET deleted_at = now() WHERE id = ?", projectId);
            exec(c, "UPDATE project_quotas SET limit_instances = 0, limit_vcpus = 0, limit_ram_mb = 0"
                    + " WHERE project_id = ?", projectId);
            exec(c, "UPDATE api_tokens SET revoked_at = now() WHERE project_id = ? AND revoked_at IS NULL", projectId);
            exec(c, "DELETE FROM keypairs WHERE project_id = ?", projectId);
            return null;
        });
    }

    private static Project find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, system, created_at FROM projects"
                + " WHERE id = ? AND deleted_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("project", id);
                }
                return new Project(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant());
            }
        }
    }

    private static void lockQuota(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT project_id FROM project_quotas WHERE project_id = ?"
                + " FOR UPDATE")) {
            ps.setString(1, projectId);
            ps.executeQuery().close();
        }
    }

    private static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void exec(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }
}

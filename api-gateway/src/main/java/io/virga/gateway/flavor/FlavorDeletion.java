package io.virga.gateway.flavor;

import io.virga.gateway.error.ApiException;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code DELETE /v1/flavors/{id}}: removes a flavor no instance uses. In one transaction the flavor row is
 * locked, then counted: instances built with it that are not DELETED, and open resizes towards it; any → 409
 * naming the count, nothing deleted. Instances keep a snapshot of their flavor, so the delete never changes a
 * running instance; a create that read the flavor before the delete still builds from that snapshot.
 */
@ApplicationScoped
public class FlavorDeletion {
    private final Tx tx;

    public FlavorDeletion(Tx tx) {
        this.tx = tx;
    }

    /**
     * @param idOrName the flavor's id or name
     * @throws ApiException 404 no such flavor; 409 instances or open resizes use it
     */
    public void delete(String idOrName) {
        tx.run(c -> {
            String id = lock(c, idOrName);
            long instances = count(c, "SELECT count(*) FROM instances WHERE flavor_id = ? AND status <> 'DELETED'", id);
            long resizes = count(c, "SELECT count(*) FROM migrations WHERE new_flavor ->> 'id' = ?"
                    + " AND status NOT IN ('confirmed', 'reverted', 'completed', 'error')", id);
            if (instances + resizes > 0) {
                throw ApiException.conflict("flavor " + id + " is in use by " + instances + " instance(s)"
                        + (resizes > 0 ? " and " + resizes + " open resize(s)" : "") + "; delete them first");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM flavors WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String lock(Connection c, String idOrName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM flavors WHERE id = ? OR name = ?"
                + " ORDER BY (id = ?) DESC LIMIT 1 FOR UPDATE")) {
            ps.setString(1, idOrName);
            ps.setString(2, idOrName);
            ps.setString(3, idOrName);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("flavor", idOrName);
                }
                return rs.getString(1);
            }
        }
    }

    static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

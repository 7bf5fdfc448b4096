package io.virga.gateway.audit;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** The gateway's side of the consistency audit: instances with the ports and volumes they record. Read only. */
@ApplicationScoped
public class AuditStore {
    /** Statuses in which an instance holds its guest, ports and volumes and nothing is moving. */
    public static final Set<String> SETTLED = Set.of("ACTIVE", "STOPPED", "PAUSED", "SUSPENDED");
    private static final String ROW = """
            SELECT i.id, i.project_id, i.status, i.host_id,
                   coalesce((SELECT array_agg(p.port_id) FROM instance_ports p WHERE p.instance_id = i.id), '{}'),
                   coalesce((SELECT array_agg(v.volume_id) FROM instance_volumes v WHERE v.instance_id = i.id), '{}')
            FROM instances i
            """;

    /** An instance as the gateway records it. {@code hostId} is null when it has none. */
    public record Row(String id, String projectId, String status, String hostId, List<String> ports,
                      List<String> volumes) {
    }

    private final DataSource dataSource;

    public AuditStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every project id. */
    public List<String> projects() {
        List<String> out = new ArrayList<>();
        query("SELECT id FROM projects ORDER BY id", List.of(), rs -> out.add(rs.getString(1)));
        return out;
    }

    /** The project's instances that are not DELETED, by id. */
    public Map<String, Row> liveInstances(String projectId) {
        return rows(ROW + " WHERE i.project_id = ? AND i.status <> 'DELETED'", projectId);
    }

    /** The instances placed on host {@code hostId} that are not DELETED, by id. */
    public Map<String, Row> instancesOnHost(String hostId) {
        return rows(ROW + " WHERE i.host_id = ? AND i.status <> 'DELETED'", hostId);
    }

    /** Instance {@code id} as recorded now (any status), or null when Virga never knew it. */
    public Row instance(String id) {
        return rows(ROW + " WHERE i.id = ?", id).get(id);
    }

    /** True when instance {@code id} is, right now, in a settled status (ACTIVE, STOPPED, PAUSED, SUSPENDED). */
    public boolean settled(String id) {
        Row r = instance(id);
        return r != null && SETTLED.contains(r.status());
    }

    /** "is DELETED", "is ERROR" … or "Virga never knew" (null), for a finding's sentence. */
    public static String describe(Row r) {
        return r == null ? "Virga never knew" : "is " + r.status();
    }

    private Map<String, Row> rows(String sql, String arg) {
        Map<String, Row> out = new LinkedHashMap<>();
        query(sql, List.of(arg), rs -> out.put(rs.getString(1), new Row(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), strings(rs.getArray(5)), strings(rs.getArray(6)))));
        return out;
    }

    private static List<String> strings(java.sql.Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<String> args, RowReader reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consistency audit cannot read instances: " + e.getMessage(), e);
        }
    }
}

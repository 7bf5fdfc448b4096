package io.virga.storage.volume;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for {@code volume_snapshots}; every method runs on the caller's transaction. */
@ApplicationScoped
public class SnapshotRepository {
    private static final String COLUMNS = "id, project_id, volume_id, name, size_gb, status, error, created_at";

    public void insert(Connection c, Snapshot s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO volume_snapshots(" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.id());
            ps.setString(2, s.projectId());
            ps.setString(3, s.volumeId());
            ps.setString(4, s.name());
            ps.setInt(5, s.sizeGb());
            ps.setString(6, s.status().name());
            ps.setString(7, s.error());
            ps.setTimestamp(8, Timestamp.from(s.createdAt()));
            ps.executeUpdate();
        }
    }

    public void update(Connection c, Snapshot s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE volume_snapshots SET status = ?, error = ? WHERE id = ?")) {
            ps.setString(1, s.status().name());
            ps.setString(2, s.error());
            ps.setString(3, s.id());
            ps.executeUpdate();
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM volume_snapshots WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** The project's snapshot (any project when {@code projectId} is null), optionally locked. */
    public Optional<Snapshot> find(Connection c, String projectId, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM volume_snapshots WHERE id = ?"
                + (projectId == null ? "" : " AND project_id = ?") + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            if (projectId != null) {
                ps.setString(2, projectId);
            }
            return readAll(ps).stream().findFirst();
        }
    }

    /** A volume's snapshots in chain order (oldest first). */
    public List<Snapshot> ofVolume(Connection c, String volumeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volume_snapshots WHERE volume_id = ? ORDER BY seq")) {
            ps.setString(1, volumeId);
            return readAll(ps);
        }
    }

    /** The project's snapshots, oldest first. */
    public List<Snapshot> ofProject(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volume_snapshots WHERE project_id = ? ORDER BY seq")) {
            ps.setString(1, projectId);
            return readAll(ps);
        }
    }

    /** Every snapshot in {@code status} (reconciler). */
    public List<Snapshot> inStatus(Connection c, SnapshotStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volume_snapshots WHERE status = ? ORDER BY seq")) {
            ps.setString(1, status.name());
            return readAll(ps);
        }
    }

    private static List<Snapshot> readAll(PreparedStatement ps) throws SQLException {
        List<Snapshot> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Snapshot(rs.getString("id"), rs.getString("project_id"), rs.getString("volume_id"),
                        rs.getString("name"), rs.getInt("size_gb"), SnapshotStatus.valueOf(rs.getString("status")),
                        rs.getString("error"), rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }
}

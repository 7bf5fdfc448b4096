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

/** SQL for {@code volumes} and {@code volume_requests}. Every method runs on the caller's transaction. */
@ApplicationScoped
public class VolumeRepository {
    private static final String COLUMNS =
            "id, project_id, name, size_gb, image_id, status, owner_id, delete_on_termination, created_at";

    /** The volume a CreateVolume request_id made, and the fingerprint of that request. */
    public record PriorRequest(String volumeId, String fingerprint) {
    }

    /**
     * Claims {@code (projectId, requestId)} for a new volume. Returns false
     * when a committed request already holds it; a concurrent request holding
     * it makes this wait until that one commits or rolls back.
     */
    public boolean claimRequest(Connection c, String projectId, String requestId, String volumeId,
            String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO volume_requests(project_id, request_id, "
                + "volume_id, fingerprint) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            ps.setString(3, volumeId);
            ps.setString(4, fingerprint);
            return ps.executeUpdate() == 1;
        }
    }

    public PriorRequest priorRequest(Connection c, String projectId, String requestId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT volume_id, fingerprint FROM volume_requests WHERE project_id = ? AND request_id = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("request " + requestId + " vanished");
                }
                return new PriorRequest(rs.getString(1), rs.getString(2));
            }
        }
    }

    public void insert(Connection c, Volume v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO volumes(" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.id());
            ps.setString(2, v.projectId());
            ps.setString(3, v.name());
            ps.setInt(4, v.sizeGb());
            ps.setString(5, v.imageId());
            ps.setString(6, v.status().name());
            ps.setString(7, v.ownerId());
            ps.setBoolean(8, v.deleteOnTermination());
            ps.setTimestamp(9, Timestamp.from(v.createdAt()));
            ps.executeUpdate();
        }
    }

    /** The project's volume {@code id}, optionally locked FOR UPDATE. */
    public Optional<Volume> find(Connection c, String projectId, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM volumes WHERE id = ? AND project_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            List<Volume> found = readAll(ps);
            return found.stream().findFirst();
        }
    }

    /** The project's volumes, oldest first; only those of {@code ownerId} when it is not null. */
    public List<Volume> list(Connection c, String projectId, String ownerId, boolean forUpdate) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM volumes WHERE project_id = ?"
                + (ownerId == null ? "" : " AND owner_id = ?") + " ORDER BY created_at, id"
                + (forUpdate ? " FOR UPDATE" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projectId);
            if (ownerId != null) {
                ps.setString(2, ownerId);
            }
            return readAll(ps);
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM volumes WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** Sets status and owner (null detaches). */
    public void updateAttachment(Connection c, String id, VolumeStatus status, String ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE volumes SET status = ?, owner_id = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, ownerId);
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    private static List<Volume> readAll(PreparedStatement ps) throws SQLException {
        List<Volume> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Volume(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                        rs.getInt("size_gb"), rs.getString("image_id"), VolumeStatus.valueOf(rs.getString("status")),
                        rs.getString("owner_id"), rs.getBoolean("delete_on_termination"),
                        rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }
}

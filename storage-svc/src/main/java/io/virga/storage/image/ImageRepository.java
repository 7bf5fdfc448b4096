package io.virga.storage.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** SQL for the {@code images} table. Every method runs on the caller's transaction. */
@ApplicationScoped
public class ImageRepository {
    private static final String COLUMNS =
            "id, project_id, name, disk_format, status, size_bytes, sha256, min_disk_gb, visibility, created_at, properties";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How {@link #find} locks the row it reads. */
    public enum Lock {
        NONE(""),
        /** Keeps the row from being deleted until commit (volume creation). */
        KEY_SHARE(" FOR KEY SHARE"),
        /** Exclusive: status changes and deletion. */
        UPDATE(" FOR UPDATE");

        private final String sql;

        Lock(String sql) {
            this.sql = sql;
        }
    }

    public void insert(Connection c, Image image) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO images(id, project_id, name, disk_format, status, "
                + "min_disk_gb, visibility, created_at, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, image.id());
            ps.setString(2, image.projectId());
            ps.setString(3, image.name());
            ps.setString(4, image.diskFormat().wire());
            ps.setString(5, image.status().name());
            ps.setInt(6, image.minDiskGb());
            ps.setString(7, image.visibility().wire());
            ps.setTimestamp(8, Timestamp.from(image.createdAt()));
            ps.setString(9, toJson(image.properties()));
            ps.executeUpdate();
        }
    }

    public Optional<Image> find(Connection c, String id, Lock lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM images WHERE id = ?" + lock.sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The project's own images and every public image, oldest first. */
    public List<Image> listVisible(Connection c, String projectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM images "
                + "WHERE project_id = ? OR visibility = 'public' ORDER BY created_at, id")) {
            ps.setString(1, projectId);
            List<Image> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    /** QUEUED → ACTIVE with its data's size and checksum; false when the image was not QUEUED. */
    public boolean markActive(Connection c, String id, long sizeBytes, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE images SET status = 'ACTIVE', size_bytes = ?, "
                + "sha256 = ? WHERE id = ? AND status = 'QUEUED'")) {
            ps.setLong(1, sizeBytes);
            ps.setString(2, sha256);
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    public boolean isUsedByVolumes(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM volumes WHERE image_id = ?)")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ids of the images that have data (ACTIVE), for the orphan-file sweep. */
    public List<String> activeIds(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE status = 'ACTIVE'");
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Image read(ResultSet rs) throws SQLException {
        long size = rs.getLong("size_bytes");
        Long sizeBytes = rs.wasNull() ? null : size;
        return new Image(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                DiskFormat.valueOf(rs.getString("disk_format").toUpperCase(Locale.ROOT)),
                ImageStatus.valueOf(rs.getString("status")), sizeBytes, rs.getString("sha256"),
                rs.getInt("min_disk_gb"), Visibility.valueOf(rs.getString("visibility").toUpperCase(Locale.ROOT)),
                rs.getTimestamp("created_at").toInstant(), fromJson(rs.getString("properties")));
    }

    private static String toJson(Map<String, String> properties) {
        try {
            return JSON.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode image properties", e);
        }
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("images.properties is not an object of strings: " + json, e);
        }
    }
}

package io.virga.gateway.project;

import io.virga.gateway.quota.Usage;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Projects and their quota rows in the gateway database. */
@ApplicationScoped
public class ProjectRepository {
    private static final String COLUMNS = "id, name, system, created_at";
    private final Tx tx;

    public ProjectRepository(Tx tx) {
        this.tx = tx;
    }

    /**
     * Inserts a project and its quota row (limits = {@code limits}, usage 0) in {@code c}'s transaction.
     * A taken name raises a unique violation (SQLSTATE 23505) and inserts nothing once rolled back.
     */
    public Project insert(Connection c, String id, String name, boolean system, Usage limits) throws SQLException {
        Project p;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO projects (id, name, system) VALUES (?, ?, ?)"
                + " RETURNING " + COLUMNS)) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setBoolean(3, system);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                p = map(rs);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO project_quotas (project_id, limit_instances,"
                + " limit_vcpus, limit_ram_mb) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setInt(2, limits.instances());
            ps.setInt(3, limits.vcpus());
            ps.setLong(4, limits.ramMb());
            ps.executeUpdate();
        }
        return p;
    }

    public Optional<Project> find(String id) {
        return tx.run(c -> find(c, id));
    }

    public Optional<Project> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM projects WHERE id = ? AND deleted_at IS NULL")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** The system project, if bootstrap made it. */
    public Optional<Project> findSystem(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM projects WHERE system")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** Projects ordered by id after {@code afterId}; only {@code onlyId} when it is not null. */
    public List<Project> list(String onlyId, String afterId, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM projects"
                    + " WHERE deleted_at IS NULL AND (?::text IS NULL OR id = ?) AND (?::text IS NULL OR id > ?)"
                    + " ORDER BY id LIMIT ?")) {
                ps.setString(1, onlyId);
                ps.setString(2, onlyId);
                ps.setString(3, afterId);
                ps.setString(4, afterId);
                ps.setInt(5, limit);
                List<Project> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Project map(ResultSet rs) throws SQLException {
        return new Project(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant());
    }
}

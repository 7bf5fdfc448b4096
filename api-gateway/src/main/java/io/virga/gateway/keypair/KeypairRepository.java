package io.virga.gateway.keypair;

import io.virga.gateway.error.ApiException;
import io.virga.platform.db.Sql;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Key pairs in the gateway database, and the key snapshot each instance was created with. */
@ApplicationScoped
public class KeypairRepository {
    private static final String COLUMNS = "project_id, name, type, public_key, fingerprint, created_at";
    private final Tx tx;

    public KeypairRepository(Tx tx) {
        this.tx = tx;
    }

    /**
     * Inserts a key pair.
     *
     * @throws ApiException 409 when the project already has a key pair of that name (nothing inserted)
     */
    public Keypair insert(String projectId, String name, PublicKeys.Parsed key) {
        try {
            return tx.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO keypairs (project_id, name, type,"
                        + " public_key, fingerprint) VALUES (?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
                    ps.setString(1, projectId);
                    ps.setString(2, name);
                    ps.setString(3, key.type());
                    ps.setString(4, key.line());
                    ps.setString(5, key.fingerprint());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return map(rs);
                    }
                }
            });
        } catch (RuntimeException e) {
            if (Sql.isUniqueViolation(e)) {
                throw ApiException.conflict("key pair " + name + " already exists in this project");
            }
            throw e;
        }
    }

    public Optional<Keypair> find(String projectId, String name) {
        return tx.run(c -> find(c, projectId, name));
    }

    public Optional<Keypair> find(Connection c, String projectId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM keypairs WHERE project_id = ? AND name = ?")) {
            ps.setString(1, projectId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /** Key pairs of a project ordered by name, after {@code afterName} (exclusive), at most {@code limit}. */
    public List<Keypair> list(String projectId, String afterName, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM keypairs"
                    + " WHERE project_id = ? AND (?::text IS NULL OR name > ?) ORDER BY name LIMIT ?")) {
                ps.setString(1, projectId);
                ps.setString(2, afterName);
                ps.setString(3, afterName);
                ps.setInt(4, limit);
                List<Keypair> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Deletes a key pair; false when there is none. Instances keep the key they were made with. */
    public boolean delete(String projectId, String name) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM keypairs WHERE project_id = ? AND name = ?")) {
                ps.setString(1, projectId);
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Records, in the instance-create transaction {@code c}, which key the instance gets. */
    public void attach(Connection c, String instanceId, Keypair key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instance_keys (instance_id, key_name, public_key)"
                + " VALUES (?, ?, ?)")) {
            ps.setString(1, instanceId);
            ps.setString(2, key.name());
            ps.setString(3, key.publicKey());
            ps.executeUpdate();
        }
    }

    /** The key an instance was created with (empty when none). */
    public Optional<Keypair> ofInstance(String instanceId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.project_id, k.key_name, k.public_key"
                    + " FROM instance_keys k JOIN instances i ON i.id = k.instance_id WHERE k.instance_id = ?")) {
                ps.setString(1, instanceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Keypair>empty();
                    }
                    String line = rs.getString(3);
                    return Optional.of(new Keypair(rs.getString(1), rs.getString(2), line.split(" ")[0], line,
                            null, null));
                }
            }
        });
    }

    private static Keypair map(ResultSet rs) throws SQLException {
        return new Keypair(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant());
    }
}

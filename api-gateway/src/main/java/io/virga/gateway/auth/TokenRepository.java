package io.virga.gateway.auth;

import io.virga.platform.db.Tx;
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

/** API tokens in the gateway database (only SHA-256 hashes of secrets are stored). */
@ApplicationScoped
public class TokenRepository {
    private final Tx tx;

    public TokenRepository(Tx tx) {
        this.tx = tx;
    }

    /** A stored token without its secret. */
    public record TokenRow(String id, String projectId, Role role, String name, Instant createdAt) {
    }

    /** The caller owning this secret, if the secret is known and not revoked. */
    public Optional<Caller> authenticate(String secret) {
        byte[] hash = Tokens.sha256(secret);
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.project_id, t.role, p.system"
                    + " FROM api_tokens t JOIN projects p ON p.id = t.project_id"
                    + " WHERE t.token_sha256 = ? AND t.revoked_at IS NULL")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Caller>empty();
                    }
                    Role role = Role.parse(rs.getString(3));
                    return Optional.of(new Caller(rs.getString(1), rs.getString(2), role,
                            rs.getBoolean(4) && role == Role.ADMIN));
                }
            }
        });
    }

    /** Inserts a token for {@code secret} in the caller's transaction. */
    public TokenRow insert(Connection c, String id, String projectId, Role role, String name, String secret)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (id, project_id, role, name,"
                + " token_sha256) VALUES (?, ?, ?, ?, ?) RETURNING created_at")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, role.wireName());
            ps.setString(4, name);
            ps.setBytes(5, Tokens.sha256(secret));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TokenRow(id, projectId, role, name, rs.getTimestamp(1).toInstant());
            }
        }
    }

    /** Live (not revoked) tokens of a project, oldest first, after {@code afterId}'s position. */
    public List<TokenRow> list(String projectId, String afterId, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, project_id, role, name, created_at"
                    + " FROM api_tokens WHERE project_id = ? AND revoked_at IS NULL"
                    + " AND (?::text IS NULL OR id > ?) ORDER BY id LIMIT ?")) {
                ps.setString(1, projectId);
                ps.setString(2, afterId);
                ps.setString(3, afterId);
                ps.setInt(4, limit);
                List<TokenRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TokenRow(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)),
                                rs.getString(4), rs.getTimestamp(5).toInstant()));
                    }
                }
                return out;
            }
        });
    }

    /** Revokes a live token of the project; false if there is none with that id. Idempotent effect. */
    public boolean revoke(String projectId, String tokenId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET revoked_at = ?"
                    + " WHERE id = ? AND project_id = ? AND revoked_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, tokenId);
                ps.setString(3, projectId);
                return ps.executeUpdate() == 1;
            }
        });
    }
}

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
    public record TokenRow(String id, String projectId, Role role, String name, Instant createdAt, Instant expiresAt,
                           Instant lastUsedAt) {
    }

    /** How stale last_used_at may get before a request refreshes it (one write per token per interval). */
    static final String TOUCH_INTERVAL = "60 seconds";

    /**
     * The caller owning this secret, if the secret is known, not revoked, not expired and its project is live.
     * Refreshes the token's {@code last_used_at} when it is older than {@value #TOUCH_INTERVAL} (so at most one
     * write per token a minute; the read path stays a single indexed SELECT otherwise).
     */
    public Optional<Caller> authenticate(String secret) {
        byte[] hash = Tokens.sha256(secret);
        return tx.run(c -> {
            Caller caller;
            boolean stale;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.project_id, t.role, p.system,"
                    + " (t.last_used_at IS NULL OR t.last_used_at < now() - interval '" + TOUCH_INTERVAL + "')"
                    + " FROM api_tokens t JOIN projects p ON p.id = t.project_id"
                    + " WHERE t.token_sha256 = ? AND t.revoked_at IS NULL AND p.deleted_at IS NULL"
                    + " AND (t.expires_at IS NULL OR t.expires_at > now())")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Caller>empty();
                    }
                    Role role = Role.parse(rs.getString(3));
                    caller = new Caller(rs.getString(1), rs.getString(2), role, rs.getBoolean(4) && role == Role.ADMIN);
                    stale = rs.getBoolean(5);
                }
            }
            if (stale) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = now()"
                        + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '"
                        + TOUCH_INTERVAL + "')")) {
                    ps.setString(1, caller.tokenId());
                    ps.executeUpdate();
                }
            }
            return Optional.of(caller);
        });
    }

    /** Inserts a token for {@code secret} in the caller's transaction. */
    public TokenRow insert(Connection c, String id, String projectId, Role role, String name, String secret)
            throws SQLException {
        return insert(c, id, projectId, role, name, secret, null);
    }

    /** Inserts a token that stops working at {@code expiresAt} (null: never). */
    public TokenRow insert(Connection c, String id, String projectId, Role role, String name, String secret,
                           Instant expiresAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (id, project_id, role, name,"
                + " token_sha256, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING created_at")) {
            ps.setString(1, id);
            ps.setString(2, projectId);
            ps.setString(3, role.wireName());
            ps.setString(4, name);
            ps.setBytes(5, Tokens.sha256(secret));
            ps.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new TokenRow(id, projectId, role, name, rs.getTimestamp(1).toInstant(), expiresAt, null);
            }
        }
    }

    /** Live (not revoked) tokens of a project, oldest first, after {@code afterId}'s position. */
    public List<TokenRow> list(String projectId, String afterId, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, project_id, role, name, created_at,"
                    + " expires_at, last_used_at FROM api_tokens WHERE project_id = ? AND revoked_at IS NULL"
                    + " AND (?::text IS NULL OR id > ?) ORDER BY id LIMIT ?")) {
                ps.setString(1, projectId);
                ps.setString(2, afterId);
                ps.setString(3, afterId);
                ps.setInt(4, limit);
                List<TokenRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TokenRow(rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)),
                                rs.getString(4), rs.getTimestamp(5).toInstant(), instant(rs.getTimestamp(6)),
                                instant(rs.getTimestamp(7))));
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

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

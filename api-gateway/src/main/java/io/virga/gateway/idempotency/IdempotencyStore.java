package io.virga.gateway.idempotency;

import io.virga.gateway.api.GatewayConfig;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code idempotency_keys} table: the first answer of each (project, Idempotency-Key).
 *
 * <p>Two lifecycles of a key:
 * <ul>
 * <li>in the work's transaction ({@link KeyedInTransaction} methods, e.g. POST /v1/instances):
 *     {@link #peek} answers a retry from a stored answer, else the request runs and its
 *     {@link #guard} stores the answer in the same transaction as the work, so a crash leaves
 *     both or neither; two racing requests serialize on the key's primary key and the loser
 *     rolls back and replays the winner's answer;</li>
 * <li>otherwise: {@link #begin} claims it (status 0 = in progress) → the request runs →
 *     {@link #complete} stores status, Location, body; or {@link #abandon} (server failure)
 *     deletes the claim so a retry runs again. An in-progress claim older than
 *     {@link #STALE_CLAIM} is treated as abandoned (its gateway died).</li>
 * </ul>
 * Keys older than the TTL (24 h) are treated as new and purged.
 */
@ApplicationScoped
public class IdempotencyStore {
    static final Duration STALE_CLAIM = Duration.ofSeconds(60);
    private static final long PURGE_EVERY_MS = Duration.ofMinutes(10).toMillis();

    private final Tx tx;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final Duration ttl;
    private final AtomicLong lastPurge = new AtomicLong();

    public IdempotencyStore(Tx tx, GatewayConfig config, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.tx = tx;
        this.json = json;
        this.ttl = config.idempotencyTtl();
    }

    /** What to do with a request carrying a key. */
    public sealed interface Decision {
    }

    /** The key is ours: run the request, then complete or abandon. */
    public record Proceed() implements Decision {
    }

    /** The same request was answered before: send this answer again. */
    public record Replay(int status, String location, String contentType, byte[] body) implements Decision {
    }

    /** The key was used for a different request. */
    public record Mismatch() implements Decision {
    }

    /** The first request with this key is still running. */
    public record InProgress() implements Decision {
    }

    public Decision begin(String projectId, String key, String method, String path, byte[] requestSha256) {
        maybePurge();
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (project_id, key, method,"
                    + " path, request_sha256, status) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING")) {
                ps.setString(1, projectId);
                ps.setString(2, key);
                ps.setString(3, method);
                ps.setString(4, path);
                ps.setBytes(5, requestSha256);
                if (ps.executeUpdate() == 1) {
                    return new Proceed();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT method, path, request_sha256, status, location,"
                    + " content_type, body, created_at < now() - ?::interval AS expired,"
                    + " created_at < now() - ?::interval AS stale FROM idempotency_keys"
                    + " WHERE project_id = ? AND key = ? FOR UPDATE")) {
                ps.setString(1, ttl.toSeconds() + " seconds");
                ps.setString(2, STALE_CLAIM.toSeconds() + " seconds");
                ps.setString(3, projectId);
                ps.setString(4, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // deleted between our insert and select (abandoned): let the client retry
                        return new InProgress();
                    }
                    int status = rs.getInt("status");
                    if (rs.getBoolean("expired") || (status == 0 && rs.getBoolean("stale"))) {
                        reclaim(c, projectId, key, method, path, requestSha256);
                        return new Proceed();
                    }
                    if (!rs.getString("method").equals(method) || !rs.getString("path").equals(path)
                            || !Arrays.equals(rs.getBytes("request_sha256"), requestSha256)) {
                        return new Mismatch();
                    }
                    if (status == 0) {
                        return new InProgress();
                    }
                    return new Replay(status, rs.getString("location"), rs.getString("content_type"),
                            rs.getBytes("body"));
                }
            }
        });
    }

    /**
     * Looks a key up without claiming it (for {@link KeyedInTransaction} methods): Replay, Mismatch,
     * InProgress (a claim of the other lifecycle, still fresh) or Proceed (no answer yet: run the
     * request and record the answer with {@link #guard}).
     */
    public Decision peek(String projectId, String key, String method, String path, byte[] requestSha256) {
        maybePurge();
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT method, path, request_sha256, status, location,"
                    + " content_type, body, created_at < now() - ?::interval AS expired,"
                    + " created_at < now() - ?::interval AS stale FROM idempotency_keys"
                    + " WHERE project_id = ? AND key = ?")) {
                ps.setString(1, ttl.toSeconds() + " seconds");
                ps.setString(2, STALE_CLAIM.toSeconds() + " seconds");
                ps.setString(3, projectId);
                ps.setString(4, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Proceed();
                    }
                    return decide(rs, method, path, requestSha256);
                }
            }
        });
    }

    /** The in-transaction recorder of one request's answer (see {@link KeyGuard}). */
    public KeyGuard guard(String projectId, String key, String method, String path, byte[] requestSha256) {
        return new KeyGuard() {
            private boolean recorded;

            @Override
            public void answer(Connection c, int status, String location, Object body) throws SQLException {
                byte[] bytes;
                try {
                    bytes = body == null ? null : json.writeValueAsBytes(body);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("cannot write the answer", e);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (project_id, key,"
                        + " method, path, request_sha256, status, location, content_type, body)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, projectId);
                    ps.setString(2, key);
                    ps.setString(3, method);
                    ps.setString(4, path);
                    ps.setBytes(5, requestSha256);
                    ps.setInt(6, status);
                    ps.setString(7, location);
                    ps.setString(8, bytes == null ? null : "application/json");
                    ps.setBytes(9, bytes);
                    if (ps.executeUpdate() == 1) {
                        recorded = true;
                        return;
                    }
                }
                // another request with this key committed first (we waited for it on the primary key)
                try (PreparedStatement ps = c.prepareStatement("SELECT method, path, request_sha256, status,"
                        + " location, content_type, body, created_at < now() - ?::interval AS expired,"
                        + " created_at < now() - ?::interval AS stale FROM idempotency_keys"
                        + " WHERE project_id = ? AND key = ? FOR UPDATE")) {
                    ps.setString(1, ttl.toSeconds() + " seconds");
                    ps.setString(2, STALE_CLAIM.toSeconds() + " seconds");
                    ps.setString(3, projectId);
                    ps.setString(4, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        Decision d = rs.next() ? decide(rs, method, path, requestSha256) : new InProgress();
                        if (d instanceof Proceed) {
                            reclaim(c, projectId, key, method, path, requestSha256);
                            completeIn(c, projectId, key, status, location, bytes == null ? null
                                    : "application/json", bytes);
                            recorded = true;
                            return;
                        }
                        throw new IdempotentAnswerException(IdempotencyFilters.respond(d, key));
                    }
                }
            }

            @Override
            public boolean recorded() {
                return recorded;
            }
        };
    }

    /** Stores an answer for a key nobody claimed (a keyed-in-transaction request that did no work). */
    public void completeUnclaimed(String projectId, String key, String method, String path, byte[] sha,
                                  int status, String location, String contentType, byte[] body) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (project_id, key,"
                    + " method, path, request_sha256, status, location, content_type, body)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, projectId);
                ps.setString(2, key);
                ps.setString(3, method);
                ps.setString(4, path);
                ps.setBytes(5, sha);
                ps.setInt(6, status);
                ps.setString(7, location);
                ps.setString(8, contentType);
                ps.setBytes(9, body);
                return ps.executeUpdate();
            }
        });
    }

    private static Decision decide(ResultSet rs, String method, String path, byte[] sha) throws SQLException {
        int status = rs.getInt("status");
        if (rs.getBoolean("expired") || (status == 0 && rs.getBoolean("stale"))) {
            return new Proceed();
        }
        if (!rs.getString("method").equals(method) || !rs.getString("path").equals(path)
                || !Arrays.equals(rs.getBytes("request_sha256"), sha)) {
            return new Mismatch();
        }
        if (status == 0) {
            return new InProgress();
        }
        return new Replay(status, rs.getString("location"), rs.getString("content_type"), rs.getBytes("body"));
    }

    private static void completeIn(Connection c, String projectId, String key, int status, String location,
                                   String contentType, byte[] body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_keys SET status = ?, location = ?,"
                + " content_type = ?, body = ? WHERE project_id = ? AND key = ?")) {
            ps.setInt(1, status);
            ps.setString(2, location);
            ps.setString(3, contentType);
            ps.setBytes(4, body);
            ps.setString(5, projectId);
            ps.setString(6, key);
            ps.executeUpdate();
        }
    }

    /** Stores the first answer of a claimed key. */
    public void complete(String projectId, String key, int status, String location, String contentType, byte[] body) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_keys SET status = ?, location = ?,"
                    + " content_type = ?, body = ? WHERE project_id = ? AND key = ? AND status = 0")) {
                ps.setInt(1, status);
                ps.setString(2, location);
                ps.setString(3, contentType);
                ps.setBytes(4, body);
                ps.setString(5, projectId);
                ps.setString(6, key);
                return ps.executeUpdate();
            }
        });
    }

    /** Forgets a claimed key whose request failed on our side, so that a retry runs it again. */
    public void abandon(String projectId, String key) {
        tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM idempotency_keys WHERE project_id = ? AND key = ? AND status = 0")) {
                ps.setString(1, projectId);
                ps.setString(2, key);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes keys older than the TTL; returns how many. */
    public int purgeExpired() {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM idempotency_keys WHERE created_at < now() - ?::interval")) {
                ps.setString(1, ttl.toSeconds() + " seconds");
                return ps.executeUpdate();
            }
        });
    }

    private void maybePurge() {
        long now = System.currentTimeMillis();
        long last = lastPurge.get();
        if (now - last > PURGE_EVERY_MS && lastPurge.compareAndSet(last, now)) {
            purgeExpired();
        }
    }

    private static void reclaim(Connection c, String projectId, String key, String method, String path, byte[] sha)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_keys SET method = ?, path = ?,"
                + " request_sha256 = ?, status = 0, location = NULL, content_type = NULL, body = NULL,"
                + " created_at = now() WHERE project_id = ? AND key = ?")) {
            ps.setString(1, method);
            ps.setString(2, path);
            ps.setBytes(3, sha);
            ps.setString(4, projectId);
            ps.setString(5, key);
            ps.executeUpdate();
        }
    }
}

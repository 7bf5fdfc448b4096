package io.virga.gateway.saga;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Persistence of sagas. Runners claim a runnable saga with a lease
 * ({@link #claimNext}: a token unique to that claim in {@code lease_owner},
 * an expiry in {@code lease_until}), extend it while they work
 * ({@link #renewLeases}) and free it when they write the step's outcome
 * (or, on shutdown, hand back all of a process's leases: {@link #releaseLeasesOf}).
 * Every write of a runner after the claim — renewal included — is fenced by
 * its token, so a runner that lost its lease (it stopped renewing and another
 * process took over) can neither overwrite the new owner's progress nor
 * extend the new owner's lease.
 */
@ApplicationScoped
public class SagaRepository {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final DataSource dataSource;

    public SagaRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(Connection c, String operationId, String instanceId, SagaKind kind, String firstStep,
                       SagaData data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sagas (operation_id, instance_id, kind, step,"
                + " state, data) VALUES (?, ?, ?, ?, 'RUNNING', ?::jsonb)")) {
            ps.setString(1, operationId);
            ps.setString(2, instanceId);
            ps.setString(3, kind.value());
            ps.setString(4, firstStep);
            ps.setString(5, toJson(data));
            ps.executeUpdate();
        }
    }

    /**
     * Claims the runnable saga that is due first and whose lease is free or
     * expired (its owner died), skipping rows another runner is claiming right now.
     *
     * @return the claimed saga, leased to {@code leaseOwner} for {@code lease}
     */
    public Optional<SagaRecord> claimNext(String leaseOwner, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sagas s SET lease_owner = ?,"
                     + " lease_until = now() + make_interval(secs => ?), updated_at = now()"
                     + " FROM (SELECT operation_id FROM sagas WHERE state IN ('RUNNING', 'COMPENSATING')"
                     + " AND next_run_at <= now() AND (lease_until IS NULL OR lease_until < now())"
                     + " ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED) due"
                     + " WHERE s.operation_id = due.operation_id RETURNING s.*")) {
            c.setAutoCommit(true);
            ps.setString(1, leaseOwner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Writes the outcome of a step and frees the lease, in transaction {@code c}.
     *
     * @return false when {@code leaseOwner} no longer holds the saga (the caller rolls back)
     */
    public boolean save(Connection c, String operationId, String leaseOwner, SagaUpdate u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sagas SET step = ?, state = ?, attempts = ?,"
                + " excluded_hosts = ?, data = ?::jsonb,"
                + " next_run_at = CASE WHEN NOT ? AND observed_state IS NOT NULL THEN LEAST(now(), ?) ELSE ? END,"
                + " observed_state = CASE WHEN ? THEN NULL ELSE observed_state END,"
                + " observed_host = CASE WHEN ? THEN NULL ELSE observed_host END,"
                + " observed_message = CASE WHEN ? THEN NULL ELSE observed_message END,"
                + " lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE operation_id = ? AND lease_owner = ?")) {
            Timestamp runAt = Timestamp.from(u.nextRunAt());
            ps.setString(1, u.step());
            ps.setString(2, u.state().name());
            ps.setInt(3, u.attempts());
            ps.setArray(4, c.createArrayOf("text", u.excludedHosts().toArray()));
            ps.setString(5, toJson(u.data()));
            ps.setBoolean(6, u.clearObserved());
            ps.setTimestamp(7, runAt);
            ps.setTimestamp(8, runAt);
            ps.setBoolean(9, u.clearObserved());
            ps.setBoolean(10, u.clearObserved());
            ps.setBoolean(11, u.clearObserved());
            ps.setString(12, operationId);
            ps.setString(13, leaseOwner);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Extends, to now + {@code lease}, the lease of each saga in {@code held}
     * (lease token → operation id) whose row still carries that token — one
     * statement for all of them. Fenced: a row holding another token (another
     * runner took it over) or none (its outcome was saved, or it was released)
     * is not touched, whether or not its lease has expired.
     *
     * @return the tokens that were renewed; any other token of {@code held} no longer holds its saga
     */
    public Set<String> renewLeases(Map<String, String> held, Duration lease) throws SQLException {
        if (held.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sagas s SET lease_until = now()"
                     + " + make_interval(secs => ?) FROM unnest(?::text[], ?::text[]) AS h (token, operation_id)"
                     + " WHERE s.operation_id = h.operation_id AND s.lease_owner = h.token RETURNING s.lease_owner")) {
            c.setAutoCommit(true);
            List<String> tokens = List.copyOf(held.keySet());
            ps.setDouble(1, lease.toMillis() / 1000.0);
            ps.setArray(2, c.createArrayOf("text", tokens.toArray()));
            ps.setArray(3, c.createArrayOf("text", tokens.stream().map(held::get).toArray()));
            Set<String> renewed = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    renewed.add(rs.getString(1));
                }
            }
            return renewed;
        }
    }

    /** Frees the lease after a failed step: the saga runs again at {@code nextRunAt}. No-op if the lease was lost. */
    public void release(String operationId, String leaseOwner, int attempts, Instant nextRunAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            release(c, operationId, leaseOwner, attempts, nextRunAt);
        }
    }

    /**
     * Frees the lease in transaction {@code c}: the saga runs again at {@code nextRunAt}.
     *
     * @return false when {@code leaseOwner} no longer holds the saga (nothing changed)
     */
    public boolean release(Connection c, String operationId, String leaseOwner, int attempts, Instant nextRunAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sagas SET attempts = ?, next_run_at = ?,"
                + " lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE operation_id = ? AND lease_owner = ?")) {
            ps.setInt(1, attempts);
            ps.setTimestamp(2, Timestamp.from(nextRunAt));
            ps.setString(3, operationId);
            ps.setString(4, leaseOwner);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Hands back, in one statement, every lease held by one process: the rows
     * whose {@code lease_owner} starts with {@code ownerPrefix} (the prefix of
     * all the tokens that process issues) lose their owner and expiry, so any
     * runner may claim them at once; {@code next_run_at}, {@code attempts}
     * and the saga's progress are kept. Fenced like every other lease write: a
     * row carrying another process's token (or none) is not touched. After it,
     * every write fenced by one of the handed-back tokens changes nothing.
     *
     * @param ownerPrefix non-empty and ending with ':', so that no other process's prefix can match
     * @return the operation ids whose leases were handed back
     */
    public List<String> releaseLeasesOf(String ownerPrefix) throws SQLException {
        if (ownerPrefix.isEmpty() || !ownerPrefix.endsWith(":")) {
            throw new IllegalArgumentException("a lease owner prefix ends with ':', not " + ownerPrefix);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sagas SET lease_owner = NULL, lease_until = NULL,"
                     + " updated_at = now() WHERE lease_owner IS NOT NULL AND starts_with(lease_owner, ?)"
                     + " RETURNING operation_id")) {
            c.setAutoCommit(true);
            ps.setString(1, ownerPrefix);
            List<String> released = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    released.add(rs.getString(1));
                }
            }
            return released;
        }
    }

    public Optional<SagaRecord> find(Connection c, String instanceId, SagaKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sagas WHERE instance_id = ? AND kind = ?")) {
            ps.setString(1, instanceId);
            ps.setString(2, kind.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Makes the instance's running saga of {@code kind} due now (e.g. a create waiting for a spawn, on delete). */
    public void poke(Connection c, String instanceId, SagaKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sagas SET next_run_at = now() WHERE instance_id = ?"
                + " AND kind = ? AND state IN ('RUNNING', 'COMPENSATING') AND next_run_at > now()")) {
            ps.setString(1, instanceId);
            ps.setString(2, kind.value());
            ps.executeUpdate();
        }
    }

    /**
     * Records a compute node's power state for the instance's create saga, if
     * that saga is spawning on exactly that host; the saga becomes due now.
     *
     * @return true when the observation was recorded (false: stale or unrelated, ignore it)
     */
    public boolean observeSpawn(Connection c, String instanceId, String hostId, String state, String message)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sagas SET observed_state = ?, observed_host = ?,"
                + " observed_message = ?, next_run_at = LEAST(next_run_at, now()), updated_at = now()"
                + " WHERE instance_id = ? AND kind = 'create' AND state = 'RUNNING'"
                + " AND step IN ('" + CreateFlow.SPAWN + "', '" + CreateFlow.WAIT_SPAWN + "')"
                + " AND data -> 'claim' ->> 'hostId' = ?")) {
            ps.setString(1, state);
            ps.setString(2, hostId);
            ps.setString(3, message);
            ps.setString(4, instanceId);
            ps.setString(5, hostId);
            return ps.executeUpdate() == 1;
        }
    }

    static String toJson(SagaData data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write saga data", e);
        }
    }

    static SagaData copy(SagaData data) {
        return fromJson(toJson(data));
    }

    static SagaData fromJson(String json) {
        try {
            return JSON.readValue(json, SagaData.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("saga data is not readable: " + e.getMessage(), e);
        }
    }

    private static SagaRecord row(ResultSet rs) throws SQLException {
        Array hosts = rs.getArray("excluded_hosts");
        Timestamp leaseUntil = rs.getTimestamp("lease_until");
        return new SagaRecord(rs.getString("operation_id"), rs.getString("instance_id"),
                SagaKind.fromValue(rs.getString("kind")), rs.getString("step"),
                SagaState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                List.copyOf(Arrays.asList((String[]) hosts.getArray())), fromJson(rs.getString("data")),
                rs.getString("observed_state"), rs.getString("observed_host"), rs.getString("observed_message"),
                rs.getString("lease_owner"), leaseUntil == null ? null : leaseUntil.toInstant(),
                rs.getTimestamp("next_run_at").toInstant());
    }
}

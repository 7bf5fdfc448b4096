package io.virga.gateway.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Persistence of workflows ({@code workflows}). Runners claim a runnable
 * workflow with a lease ({@link #claimNext}: a token unique to that claim in
 * {@code lease_owner}, an expiry in {@code lease_until}), extend it while they
 * work ({@link #renewLeases}) and free it when they write the step's outcome
 * (or, on shutdown, hand back all of a process's leases: {@link #releaseLeasesOf}).
 * Every write of a runner after the claim — renewal included — is fenced by
 * its token, so a runner that lost its lease can neither overwrite the new
 * owner's progress nor extend the new owner's lease.
 */
@ApplicationScoped
public class WorkflowRepository {
    static final String ACTIVE = "state IN ('RUNNING', 'COMPENSATING')";

    private final DataSource dataSource;

    public WorkflowRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts a workflow row (no lease), due now. Fails on the one-active / one-waiting indexes. */
    void insert(Connection c, String operationId, String flow, String resourceType, String resourceId, String step,
                WorkflowState state, String data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO workflows (operation_id, resource_type,"
                + " resource_id, flow, step, state, data) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, operationId);
            ps.setString(2, resourceType);
            ps.setString(3, resourceId);
            ps.setString(4, flow);
            ps.setString(5, step);
            ps.setString(6, state.name());
            ps.setString(7, data);
            ps.executeUpdate();
        }
    }

    /** The resource's active (RUNNING or COMPENSATING) workflow, if any. */
    public Optional<Workflow> active(Connection c, String resourceType, String resourceId) throws SQLException {
        return one(c, "SELECT * FROM workflows WHERE resource_type = ? AND resource_id = ? AND " + ACTIVE,
                resourceType, resourceId);
    }

    /** The resource's waiting workflow, if any. */
    public Optional<Workflow> waiting(Connection c, String resourceType, String resourceId) throws SQLException {
        return one(c, "SELECT * FROM workflows WHERE resource_type = ? AND resource_id = ? AND state = 'WAITING'",
                resourceType, resourceId);
    }

    public Optional<Workflow> find(Connection c, String operationId) throws SQLException {
        return one(c, "SELECT * FROM workflows WHERE operation_id = ?", operationId);
    }

    /** The newest workflow of {@code flow} on the resource. */
    public Optional<Workflow> latest(Connection c, String resourceType, String resourceId, String flow)
            throws SQLException {
        return one(c, "SELECT * FROM workflows WHERE resource_type = ? AND resource_id = ? AND flow = ?"
                + " ORDER BY created_at DESC LIMIT 1", resourceType, resourceId, flow);
    }

    /**
     * Claims the runnable workflow that is due first and whose lease is free
     * or expired (its owner died), skipping rows another runner is claiming right now.
     *
     * @return the claimed workflow, leased to {@code leaseOwner} for {@code lease}
     */
    public Optional<Workflow> claimNext(String leaseOwner, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE workflows w SET lease_owner = ?,"
                     + " lease_until = now() + make_interval(secs => ?), updated_at = now()"
                     + " FROM (SELECT operation_id FROM workflows WHERE " + ACTIVE
                     + " AND next_run_at <= now() AND (lease_until IS NULL OR lease_until < now())"
                     + " ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED) due"
                     + " WHERE w.operation_id = due.operation_id RETURNING w.*")) {
            c.setAutoCommit(true);
            ps.setString(1, leaseOwner);
            ps.setDouble(2, lease.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Milliseconds until the next runnable workflow is due or its lease runs out, at most {@code max}
     * (so an idle worker sleeps until then: timers need no tight poll).
     */
    long msUntilNextDue(long max) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT ceil(extract(epoch FROM (min(GREATEST(next_run_at,"
                     + " coalesce(lease_until, next_run_at))) - now())) * 1000) FROM workflows WHERE " + ACTIVE)) {
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return max;
                }
                long ms = rs.getLong(1);
                return rs.wasNull() ? max : Math.max(0, Math.min(ms, max));
            }
        }
    }

    /** The new state of a workflow after one step. */
    record Update(String step, WorkflowState state, int attempts, Instant failingSince, String data,
                  Instant nextRunAt) {
    }

    /**
     * Writes the outcome of a step and frees the lease, in transaction {@code c}.
     * If observations are waiting (not consumed), the workflow is due now.
     *
     * @return false when {@code leaseOwner} no longer holds the workflow (the caller rolls back)
     */
    boolean save(Connection c, String operationId, String leaseOwner, Update u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflows w SET step = ?, state = ?, attempts = ?,"
                + " failing_since = ?, data = ?::jsonb, next_run_at = CASE WHEN EXISTS (SELECT 1 FROM"
                + " workflow_mailbox m WHERE m.operation_id = w.operation_id) THEN LEAST(now(), ?) ELSE ? END,"
                + " lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE operation_id = ? AND lease_owner = ?")) {
            Timestamp runAt = Timestamp.from(u.nextRunAt());
            ps.setString(1, u.step());
            ps.setString(2, u.state().name());
            ps.setInt(3, u.attempts());
            ps.setTimestamp(4, u.failingSince() == null ? null : Timestamp.from(u.failingSince()));
            ps.setString(5, u.data());
            ps.setTimestamp(6, runAt);
            ps.setTimestamp(7, runAt);
            ps.setString(8, operationId);
            ps.setString(9, leaseOwner);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Extends, to now + {@code lease}, the lease of each workflow in {@code held}
     * (lease token → operation id) whose row still carries that token — one
     * statement for all of them. Fenced: a row holding another token or none is not touched.
     *
     * @return the tokens that were renewed; any other token of {@code held} no longer holds its workflow
     */
    public Set<String> renewLeases(Map<String, String> held, Duration lease) throws SQLException {
        if (held.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE workflows w SET lease_until = now()"
                     + " + make_interval(secs => ?) FROM unnest(?::text[], ?::text[]) AS h (token, operation_id)"
                     + " WHERE w.operation_id = h.operation_id AND w.lease_owner = h.token RETURNING w.lease_owner")) {
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

    /** Frees the lease (own transaction): the workflow runs again at {@code nextRunAt}. No-op if the lease was lost. */
    public void release(String operationId, String leaseOwner, int attempts, Instant failingSince, Instant nextRunAt)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            release(c, operationId, leaseOwner, attempts, failingSince, nextRunAt);
        }
    }

    /**
     * Frees the lease in transaction {@code c}: the workflow runs again at {@code nextRunAt}.
     *
     * @return false when {@code leaseOwner} no longer holds the workflow (nothing changed)
     */
    public boolean release(Connection c, String operationId, String leaseOwner, int attempts, Instant failingSince,
                           Instant nextRunAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET attempts = ?, failing_since = ?,"
                + " next_run_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE operation_id = ? AND lease_owner = ?")) {
            ps.setInt(1, attempts);
            ps.setTimestamp(2, failingSince == null ? null : Timestamp.from(failingSince));
            ps.setTimestamp(3, Timestamp.from(nextRunAt));
            ps.setString(4, operationId);
            ps.setString(5, leaseOwner);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Hands back, in one statement, every lease held by one process: the rows
     * whose {@code lease_owner} starts with {@code ownerPrefix} lose their owner
     * and expiry, so any runner may claim them at once; progress is kept.
     * Fenced like every other lease write: other processes' rows are not touched.
     *
     * @param ownerPrefix non-empty and ending with ':', so that no other process's prefix can match
     * @return the operation ids whose leases were handed back
     */
    public List<String> releaseLeasesOf(String ownerPrefix) throws SQLException {
        if (ownerPrefix.isEmpty() || !ownerPrefix.endsWith(":")) {
            throw new IllegalArgumentException("a lease owner prefix ends with ':', not " + ownerPrefix);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE workflows SET lease_owner = NULL, lease_until = NULL,"
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

    /** Asks the workflow to stop at its next step (it becomes due now). No-op once it has ended. */
    public void requestCancel(Connection c, String operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET cancel_requested = true,"
                + " next_run_at = LEAST(next_run_at, now()), updated_at = now() WHERE operation_id = ? AND "
                + ACTIVE)) {
            ps.setString(1, operationId);
            ps.executeUpdate();
        }
    }

    /** Makes the resource's waiting workflow (if any) RUNNING and due now; returns its operation id. */
    Optional<String> promoteWaiting(Connection c, String resourceType, String resourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE workflows SET state = 'RUNNING', next_run_at = now(),"
                + " updated_at = now() WHERE resource_type = ? AND resource_id = ? AND state = 'WAITING'"
                + " RETURNING operation_id")) {
            ps.setString(1, resourceType);
            ps.setString(2, resourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private Optional<Workflow> one(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Workflow row(ResultSet rs) throws SQLException {
        return new Workflow(rs.getString("operation_id"), rs.getString("resource_type"), rs.getString("resource_id"),
                rs.getString("flow"), rs.getString("step"), WorkflowState.valueOf(rs.getString("state")),
                rs.getInt("attempts"), instant(rs.getTimestamp("failing_since")), rs.getString("data"),
                rs.getBoolean("cancel_requested"), rs.getString("lease_owner"),
                instant(rs.getTimestamp("lease_until")), rs.getTimestamp("next_run_at").toInstant());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

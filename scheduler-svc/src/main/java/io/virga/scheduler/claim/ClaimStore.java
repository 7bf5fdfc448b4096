package io.virga.scheduler.claim;

import io.virga.contracts.events.v1.AllocationChanged;
import io.virga.platform.db.Tx;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import io.virga.platform.outbox.Outbox;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.Resources;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Allocations and the host usage counters, always changed together in one
 * transaction with their outbox event. The invariant kept here (and by the
 * table constraints): for every host, {@code used_*} equals the sum of its
 * allocations, and a claim never takes {@code used} above
 * {@code floor(total * ratio)}.
 */
public final class ClaimStore {
    /**
     * Compare-and-set on the snapshot's generation, with the capacity check
     * repeated in SQL. Under READ COMMITTED a concurrent writer of the same
     * row makes this statement wait, then re-check its WHERE on the new row
     * version: of two racing claims built on one snapshot, exactly one wins.
     */
    private static final String CLAIM_HOST = """
            UPDATE hosts
               SET used_vcpus = used_vcpus + ?, used_ram_mb = used_ram_mb + ?, used_disk_gb = used_disk_gb + ?,
                   generation = generation + 1, updated_at = now()
             WHERE id = ? AND generation = ? AND enabled
               AND used_vcpus + ? <= floor(total_vcpus * ?::float8)
               AND used_ram_mb + ? <= floor(total_ram_mb * ?::float8)
               AND used_disk_gb + ? <= floor(total_disk_gb * ?::float8)
            RETURNING name, compute_endpoint
            """;
    private static final String INSERT_ALLOCATION = """
            INSERT INTO allocations (consumer_id, host_id, vcpus, ram_mb, disk_gb, project_id)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (consumer_id) DO NOTHING
            """;
    private static final String FIND = """
            SELECT a.consumer_id, a.project_id, a.host_id, h.name, h.compute_endpoint, a.vcpus, a.ram_mb, a.disk_gb
              FROM allocations a JOIN hosts h ON h.id = a.host_id
             WHERE a.consumer_id = ?
            """;
    private static final String DELETE_ALLOCATION = """
            DELETE FROM allocations WHERE consumer_id = ?
            RETURNING host_id, vcpus, ram_mb, disk_gb, project_id
            """;
    private static final String RELEASE_HOST = """
            UPDATE hosts
               SET used_vcpus = used_vcpus - ?, used_ram_mb = used_ram_mb - ?, used_disk_gb = used_disk_gb - ?,
                   generation = generation + 1, updated_at = now()
             WHERE id = ?
            RETURNING name, compute_endpoint
            """;

    private static final String LOCK_ALLOCATION = """
            SELECT host_id, vcpus, ram_mb, disk_gb, project_id FROM allocations WHERE consumer_id = ? FOR UPDATE
            """;
    private static final String REKEY_ALLOCATION = "UPDATE allocations SET consumer_id = ? WHERE consumer_id = ?";

    /**
     * What {@link #transfer} did.
     *
     * @param transferred     false when the giving consumer held nothing (nothing changed)
     * @param claim           the receiving consumer's claim afterwards, if any
     * @param releasedHostId  the host of the receiving consumer's former claim, if one was released
     */
    public record Transfer(boolean transferred, Optional<Claim> claim, Optional<String> releasedHostId) {
    }

    private final Tx tx;
    private final Outbox outbox;
    private final String eventSource;

    /**
     * @param outbox      where claimed/released events go, in the same transaction
     * @param eventSource the CloudEvents source, e.g. {@code /virga/scheduler-svc}
     */
    public ClaimStore(DataSource dataSource, Outbox outbox, String eventSource) {
        this.tx = new Tx(dataSource);
        this.outbox = outbox;
        this.eventSource = eventSource;
    }

    public Optional<Claim> find(String consumerId) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(FIND)) {
                ps.setString(1, consumerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Claim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), new Resources(rs.getInt(6), rs.getLong(7), rs.getLong(8))));
                }
            }
        });
    }

    /**
     * Claims {@code request} on {@code host} if the host row still has the
     * snapshot's generation and room: usage incremented, allocation inserted
     * and {@code io.virga.allocation.claimed} appended, all in one
     * transaction. Otherwise nothing is written.
     *
     * @throws RuntimeException on database failures (after rollback); a
     *     deadlock or serialization failure is recognisable with
     *     {@link io.virga.platform.db.Sql#isRetryable}
     */
    public ClaimAttempt tryClaim(HostState host, PlacementRequest request, AllocationRatios ratios) {
        Resources r = request.resources();
        try {
            return tx.run(c -> {
                String name;
                String endpoint;
                try (PreparedStatement ps = c.prepareStatement(CLAIM_HOST)) {
                    ps.setInt(1, r.vcpus());
                    ps.setLong(2, r.ramMb());
                    ps.setLong(3, r.diskGb());
                    ps.setString(4, host.id());
                    ps.setLong(5, host.generation());
                    ps.setInt(6, r.vcpus());
                    ps.setDouble(7, ratios.cpu());
                    ps.setLong(8, r.ramMb());
                    ps.setDouble(9, ratios.ram());
                    ps.setLong(10, r.diskGb());
                    ps.setDouble(11, ratios.disk());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return new ClaimAttempt.Lost();
                        }
                        name = rs.getString(1);
                        endpoint = rs.getString(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT_ALLOCATION)) {
                    ps.setString(1, request.consumerId());
                    ps.setString(2, host.id());
                    ps.setInt(3, r.vcpus());
                    ps.setLong(4, r.ramMb());
                    ps.setLong(5, r.diskGb());
                    ps.setString(6, request.projectId());
                    if (ps.executeUpdate() == 0) {
                        throw new Undo(new ClaimAttempt.ConsumerTaken());
                    }
                }
                Claim claim = new Claim(request.consumerId(), request.projectId(), host.id(), name, endpoint, r);
                outbox.append(c, Topics.SCHEDULER_ALLOCATIONS, CloudEvent.of(eventSource,
                        Topics.TYPE_ALLOCATION_CLAIMED, claim.consumerId(), event(claim.consumerId(), host.id(), r)));
                return new ClaimAttempt.Won(claim);
            });
        } catch (Undo undo) {
            return undo.attempt;
        }
    }

    /**
     * Frees the consumer's claim: allocation deleted, host usage decremented
     * and {@code io.virga.allocation.released} appended in one transaction.
     * Idempotent: without a claim nothing changes and the answer is empty.
     *
     * @return the released claim, or empty when the consumer held none
     */
    public Optional<Claim> release(String consumerId) {
        return tx.run(c -> releaseIn(c, consumerId));
    }

    private Optional<Claim> releaseIn(java.sql.Connection c, String consumerId) throws SQLException {
        String hostId;
        String projectId;
        Resources r;
        try (PreparedStatement ps = c.prepareStatement(DELETE_ALLOCATION)) {
            ps.setString(1, consumerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                hostId = rs.getString(1);
                r = new Resources(rs.getInt(2), rs.getLong(3), rs.getLong(4));
                projectId = rs.getString(5);
            }
        }
        Claim claim;
        try (PreparedStatement ps = c.prepareStatement(RELEASE_HOST)) {
            ps.setInt(1, r.vcpus());
            ps.setLong(2, r.ramMb());
            ps.setLong(3, r.diskGb());
            ps.setString(4, hostId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("host " + hostId + " of allocation " + consumerId + " vanished");
                }
                claim = new Claim(consumerId, projectId, hostId, rs.getString(1), rs.getString(2), r);
            }
        }
        outbox.append(c, Topics.SCHEDULER_ALLOCATIONS, CloudEvent.of(eventSource,
                Topics.TYPE_ALLOCATION_RELEASED, consumerId, event(consumerId, hostId, r)));
        return Optional.of(claim);
    }

    /**
     * Gives {@code from}'s claim to {@code to} in one transaction: {@code to}'s
     * claim (if any) is released as {@link #release} would (usage down, event),
     * then {@code from}'s allocation row is re-keyed to {@code to} (its host's
     * usage unchanged; a released event for {@code from} and a claimed event for
     * {@code to}). {@code from}'s row is locked first, so of two racing
     * transfers one does it and the other finds nothing to give.
     * Idempotent: when {@code from} holds nothing, nothing changes.
     *
     * @throws IllegalArgumentException when {@code from} equals {@code to}
     */
    public Transfer transfer(String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("a claim cannot be given to its own consumer " + from);
        }
        Transfer done = tx.run(c -> {
            String hostId;
            Resources r;
            try (PreparedStatement ps = c.prepareStatement(LOCK_ALLOCATION)) {
                ps.setString(1, from);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    hostId = rs.getString(1);
                    r = new Resources(rs.getInt(2), rs.getLong(3), rs.getLong(4));
                }
            }
            Optional<String> released = releaseIn(c, to).map(Claim::hostId);
            try (PreparedStatement ps = c.prepareStatement(REKEY_ALLOCATION)) {
                ps.setString(1, to);
                ps.setString(2, from);
                ps.executeUpdate();
            }
            outbox.append(c, Topics.SCHEDULER_ALLOCATIONS, CloudEvent.of(eventSource,
                    Topics.TYPE_ALLOCATION_RELEASED, from, event(from, hostId, r)));
            outbox.append(c, Topics.SCHEDULER_ALLOCATIONS, CloudEvent.of(eventSource,
                    Topics.TYPE_ALLOCATION_CLAIMED, to, event(to, hostId, r)));
            return new Transfer(true, Optional.empty(), released);
        });
        if (done == null) {
            return new Transfer(false, find(to), Optional.empty());
        }
        return new Transfer(true, find(to), done.releasedHostId());
    }

    private static AllocationChanged event(String consumerId, String hostId, Resources r) {
        return AllocationChanged.newBuilder()
                .setConsumerId(consumerId)
                .setHostId(hostId)
                .setVcpus(r.vcpus())
                .setRamMb(r.ramMb())
                .setDiskGb(r.diskGb())
                .build();
    }

    /** Rolls the transaction back and carries the attempt's answer out of it. */
    private static final class Undo extends RuntimeException {
        private final transient ClaimAttempt attempt;

        Undo(ClaimAttempt attempt) {
            super(null, null, false, false);
            this.attempt = attempt;
        }
    }
}

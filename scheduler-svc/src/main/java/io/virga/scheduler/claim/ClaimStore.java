package io.virga.scheduler.claim;

import io.virga.contracts.events.v1.AllocationChanged;
import io.virga.platform.db.Tx;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import io.virga.platform.outbox.Outbox;
import io.virga.scheduler.host.Resources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Claims as rows: one {@code allocations} row per consumer and one
 * {@code allocation_resources} row per resource class, with the usage of the
 * host's inventory rows, always changed together in one transaction with
 * their outbox event. Every writer of a host's inventory usage first locks
 * the host row ({@code SELECT … FOR UPDATE}, hosts in id order), so for each
 * inventory row {@code used} equals the sum of its allocation rows and never
 * exceeds {@code floor((total - reserved) × ratio)} when a claim commits.
 * New claims are written in batches by {@link BatchClaims}; this class
 * finds, releases and transfers.
 */
public final class ClaimStore {
    static final String FIND = """
            SELECT a.consumer_id, a.project_id, a.host_id, h.name, h.compute_endpoint,
                   (SELECT string_agg(r.resource_class || ':' || r.amount, ',') FROM allocation_resources r
                     WHERE r.consumer_id = a.consumer_id) AS res
              FROM allocations a JOIN hosts h ON h.id = a.host_id
            """;
    private static final String LOCK_HOSTS = "SELECT id FROM hosts WHERE id = ANY(?) ORDER BY id FOR UPDATE";
    private static final String DELETE_RESOURCES =
            "DELETE FROM allocation_resources WHERE consumer_id = ? RETURNING resource_class, amount";
    private static final String DELETE_ALLOCATION =
            "DELETE FROM allocations WHERE consumer_id = ? RETURNING host_id, project_id";
    static final String ADD_USAGE = """
            UPDATE inventories i SET used = i.used + v.amount
              FROM unnest(?::text[], ?::text[], ?::bigint[]) AS v(h, rc, amount)
             WHERE i.host_id = v.h AND i.resource_class = v.rc
               AND i.used + v.amount >= 0
               AND (v.amount <= 0 OR i.used + v.amount <= floor(greatest(i.total - i.reserved, 0) * i.allocation_ratio))
            """;
    static final String BUMP_HOSTS = """
            UPDATE hosts SET generation = generation + 1, change_seq = nextval('host_changes'), updated_at = now()
             WHERE id = ANY(?) RETURNING id, change_seq
            """;
    private static final String REKEY = "UPDATE allocations SET consumer_id = ? WHERE consumer_id = ?";

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

    Outbox outbox() {
        return outbox;
    }

    String eventSource() {
        return eventSource;
    }

    Tx tx() {
        return tx;
    }

    public Optional<Claim> find(String consumerId) {
        return tx.run(c -> findIn(c, consumerId));
    }

    static Optional<Claim> findIn(Connection c, String consumerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND + " WHERE a.consumer_id = ?")) {
            ps.setString(1, consumerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Claims in consumer id order after {@code after} (empty: from the start), at most {@code limit}. */
    public List<Claim> page(String after, int limit) {
        return tx.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(FIND
                    + " WHERE a.consumer_id > ? ORDER BY a.consumer_id LIMIT ?")) {
                ps.setString(1, after);
                ps.setInt(2, limit);
                List<Claim> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    static Claim read(ResultSet rs) throws SQLException {
        Map<String, Long> amounts = new HashMap<>();
        String res = rs.getString("res");
        if (res != null) {
            for (String part : res.split(",")) {
                String[] kv = part.split(":");
                amounts.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return new Claim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Resources.of(amounts));
    }

    /**
     * Frees the consumer's claim: its rows deleted, the host's usage
     * decremented and {@code io.virga.allocation.released} appended in one
     * transaction holding the host row's lock. Idempotent: without a claim
     * nothing changes and the answer is empty.
     */
    public Optional<Claim> release(String consumerId) {
        return tx.run(c -> {
            Optional<Claim> claim = findIn(c, consumerId);
            if (claim.isEmpty()) {
                return Optional.<Claim>empty();
            }
            lockHosts(c, List.of(claim.get().hostId()));
            return releaseIn(c, consumerId);
        });
    }

    /** Releases inside {@code c}, which must hold the lock of the claim's host. */
    private Optional<Claim> releaseIn(Connection c, String consumerId) throws SQLException {
        Optional<Claim> claim = findIn(c, consumerId);
        if (claim.isEmpty()) {
            return claim;
        }
        Claim cl = claim.get();
        Map<String, Long> amounts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(DELETE_RESOURCES)) {
            ps.setString(1, consumerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    amounts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(DELETE_ALLOCATION)) {
            ps.setString(1, consumerId);
            ps.executeQuery().close();
        }
        Map<String, Long> negative = new HashMap<>();
        amounts.forEach((rc, a) -> negative.put(rc, -a));
        addUsage(c, Map.of(cl.hostId(), negative));
        bump(c, List.of(cl.hostId()));
        outbox.append(c, Topics.SCHEDULER_ALLOCATIONS, CloudEvent.of(eventSource,
                Topics.TYPE_ALLOCATION_RELEASED, consumerId, event(consumerId, cl.hostId(), cl.resources())));
        return claim;
    }

    /**
     * Gives {@code from}'s claim to {@code to} in one transaction: {@code to}'s
     * claim (if any) is released as {@link #release} would, then {@code from}'s
     * rows are re-keyed to {@code to} (its host's usage unchanged; a released
     * event for {@code from} and a claimed event for {@code to}). Both hosts are
     * locked first, in id order. Idempotent: when {@code from} holds nothing,
     * nothing changes.
     *
     * @throws IllegalArgumentException when {@code from} equals {@code to}
     */
    public Transfer transfer(String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("a claim cannot be given to its own consumer " + from);
        }
        Transfer done = tx.run(c -> {
            Optional<Claim> giving = findIn(c, from);
            if (giving.isEmpty()) {
                return null;
            }
            Optional<Claim> taking = findIn(c, to);
            TreeSet<String> hosts = new TreeSet<>();
            hosts.add(giving.get().hostId());
            taking.ifPresent(t -> hosts.add(t.hostId()));
            lockHosts(c, hosts);
            Optional<Claim> locked = findIn(c, from);
            if (locked.isEmpty()) {
                return null;   // a racing transfer gave it first
            }
            if (!locked.get().hostId().equals(giving.get().hostId())) {
                throw new IllegalStateException("claim of " + from + " moved during transfer; retry");
            }
            Optional<String> released = releaseIn(c, to).map(Claim::hostId);
            try (PreparedStatement ps = c.prepareStatement(REKEY)) {
                ps.setString(1, to);
                ps.setString(2, from);
                ps.executeUpdate();
            }
            Claim g = locked.get();
            outbox.appendAll(c, Topics.SCHEDULER_ALLOCATIONS, List.of(
                    CloudEvent.of(eventSource, Topics.TYPE_ALLOCATION_RELEASED, from, event(from, g.hostId(),
                            g.resources())),
                    CloudEvent.of(eventSource, Topics.TYPE_ALLOCATION_CLAIMED, to, event(to, g.hostId(),
                            g.resources()))));
            return new Transfer(true, Optional.empty(), released);
        });
        if (done == null) {
            return new Transfer(false, find(to), Optional.empty());
        }
        return new Transfer(true, find(to), done.releasedHostId());
    }

    static void lockHosts(Connection c, java.util.Collection<String> hostIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_HOSTS)) {
            ps.setArray(1, c.createArrayOf("text", new TreeSet<>(hostIds).toArray()));
            ps.executeQuery().close();
        }
    }

    /**
     * Adds usage per host and class (negative amounts release). A positive
     * amount that would exceed capacity, or a usage going below zero, means the
     * caller's read was not current: the statement then touches fewer rows
     * and this throws, rolling the transaction back.
     */
    static void addUsage(Connection c, Map<String, Map<String, Long>> byHost) throws SQLException {
        List<String> hosts = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        byHost.forEach((h, m) -> m.forEach((rc, a) -> {
            hosts.add(h);
            classes.add(rc);
            amounts.add(a);
        }));
        if (hosts.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(ADD_USAGE)) {
            ps.setArray(1, c.createArrayOf("text", hosts.toArray()));
            ps.setArray(2, c.createArrayOf("text", classes.toArray()));
            ps.setArray(3, c.createArrayOf("bigint", amounts.toArray()));
            int n = ps.executeUpdate();
            if (n != hosts.size()) {
                throw new IllegalStateException("inventory usage changed under a held host lock (" + n + " of "
                        + hosts.size() + " rows); nothing written");
            }
        }
    }

    /** Bumps generation and change sequence of {@code hostIds}; returns each host's new change sequence. */
    static Map<String, Long> bump(Connection c, java.util.Collection<String> hostIds) throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(BUMP_HOSTS)) {
            ps.setArray(1, c.createArrayOf("text", hostIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return seqs;
    }

    static AllocationChanged event(String consumerId, String hostId, Resources r) {
        return AllocationChanged.newBuilder()
                .setConsumerId(consumerId)
                .setHostId(hostId)
                .setVcpus(r.vcpus())
                .setRamMb(r.ramMb())
                .setDiskGb(r.diskGb())
                .build();
    }
}

package io.virga.scheduler.claim;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.Topics;
import io.virga.scheduler.filter.GroupPlacement;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.host.Inventory;
import io.virga.scheduler.host.Resources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Commits a batch of planned claims in one short transaction, each claim
 * re-checked against rows read under lock:
 * <ol>
 *   <li>lock the hard server groups of the batch (id order) and read their members' hosts;</li>
 *   <li>lock the chosen hosts (id order) and read their inventory rows;</li>
 *   <li>decide in batch order: a claim wins when its host is enabled, every class fits
 *       ({@link Inventory#fits} on usage including earlier winners of the batch) and its hard
 *       group policy still holds; otherwise it is {@link ClaimAttempt.Lost};</li>
 *   <li>insert the winners' allocation rows ({@code ON CONFLICT DO NOTHING}: a consumer that
 *       already holds a claim is {@link ClaimAttempt.ConsumerTaken}); then, in one statement, their
 *       resource rows, their usage (the UPDATE re-checks capacity and fails the transaction if a read
 *       was not current) and the hosts' generation and change sequence bump; append the events.</li>
 * </ol>
 * Because every writer of usage holds the host row's lock, what step 2 read is what step 4
 * updates: no over-allocation with any number of replicas. Locks are taken groups first, then
 * hosts, each in id order, so batches of different replicas never deadlock each other.
 */
final class BatchClaims {
    private static final String LOCK_GROUPS =
            "SELECT id FROM server_groups WHERE id = ANY(?) ORDER BY id FOR UPDATE";
    private static final String GROUP_MEMBERS =
            "SELECT server_group_id, host_id FROM allocations WHERE server_group_id = ANY(?)";
    private static final String LOCK_HOSTS = """
            SELECT id, name, compute_endpoint, enabled, maintenance, change_seq
              FROM hosts WHERE id = ANY(?) ORDER BY id FOR UPDATE
            """;
    private static final String INVENTORIES = """
            SELECT host_id, resource_class, total, reserved, min_unit, max_unit, step_size, allocation_ratio, used
              FROM inventories WHERE host_id = ANY(?)
            """;
    private static final String INSERT_ALLOCATIONS = """
            INSERT INTO allocations (consumer_id, host_id, project_id, server_group_id)
            SELECT c, h, p, nullif(g, '') FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS v(c, h, p, g)
            ON CONFLICT (consumer_id) DO NOTHING
            RETURNING consumer_id
            """;
    /** Resource rows, usage (re-checking capacity, as {@link ClaimStore#ADD_USAGE}) and host bump at once. */
    private static final String WRITE_CLAIMS = """
            WITH res AS (
                INSERT INTO allocation_resources (consumer_id, resource_class, amount)
                SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])
                RETURNING 1
            ), used AS (
                UPDATE inventories i SET used = i.used + v.amount
                  FROM unnest(?::text[], ?::text[], ?::bigint[]) AS v(h, rc, amount)
                 WHERE i.host_id = v.h AND i.resource_class = v.rc
                   AND i.used + v.amount >= 0
                   AND (v.amount <= 0
                        OR i.used + v.amount <= floor(greatest(i.total - i.reserved, 0) * i.allocation_ratio))
                RETURNING 1
            ), bumped AS (
                UPDATE hosts SET generation = generation + 1, change_seq = nextval('host_changes'), updated_at = now()
                 WHERE id = ANY(?) RETURNING id, change_seq
            )
            SELECT b.id, b.change_seq, (SELECT count(*) FROM used), (SELECT count(*) FROM res) FROM bumped b
            """;

    /** A claim the planner wants: {@code request} on {@code host} (the cached snapshot it chose). */
    record Planned(PlacementRequest request, HostState host) {
        Map<String, Long> amounts() {
            return request.resources().byClass();
        }
    }

    /**
     * @param attempts one per planned claim, same order
     * @param fresh    the locked hosts as they are after the commit (for the replica's cache)
     * @param gone     chosen hosts that no longer exist
     */
    record Result(List<ClaimAttempt> attempts, List<HostStore.Versioned> fresh, Set<String> gone) {
    }

    private record Locked(String name, String endpoint, boolean usable, long seq) {
    }

    private final ClaimStore store;

    BatchClaims(ClaimStore store) {
        this.store = store;
    }

    Result commit(List<Planned> batch) {
        return store.tx().run(c -> commitIn(c, batch));
    }

    private Result commitIn(Connection c, List<Planned> batch) throws SQLException {
        Map<String, Map<String, Integer>> members = lockGroups(c, batch);
        TreeSet<String> hostIds = new TreeSet<>();
        batch.forEach(p -> hostIds.add(p.host().id()));
        Map<String, Locked> locked = lockHosts(c, hostIds);
        Map<String, Map<String, Inventory>> inventories = inventories(c, hostIds);

        List<ClaimAttempt> attempts = new ArrayList<>();
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Planned p = batch.get(i);
            String h = p.host().id();
            Locked l = locked.get(h);
            Map<String, Inventory> inv = inventories.getOrDefault(h, Map.of());
            boolean ok = l != null && l.usable() && fits(inv, p.amounts()) && groupAllows(p.request(), h, members);
            if (!ok) {
                attempts.add(new ClaimAttempt.Lost());
                continue;
            }
            p.amounts().forEach((rc, a) -> inv.computeIfPresent(rc, (k, x) -> x.withUsed(x.used() + a)));
            GroupPlacement g = p.request().group();
            if (g != null) {
                members.computeIfAbsent(g.groupId(), k -> new HashMap<>()).merge(h, 1, Integer::sum);
            }
            attempts.add(null);
            winners.add(i);
        }
        Set<String> inserted = insertAllocations(c, batch, winners);
        Map<String, Map<String, Long>> usage = new HashMap<>();
        List<CloudEvent> events = new ArrayList<>();
        List<String[]> resourceRows = new ArrayList<>();
        for (int i : winners) {
            Planned p = batch.get(i);
            String h = p.host().id();
            if (!inserted.contains(p.request().consumerId())) {
                attempts.set(i, new ClaimAttempt.ConsumerTaken());
                p.amounts().forEach((rc, a) -> inventories.get(h).computeIfPresent(rc,
                        (k, x) -> x.withUsed(x.used() - a)));
                continue;
            }
            p.amounts().forEach((rc, a) -> {
                usage.computeIfAbsent(h, k -> new HashMap<>()).merge(rc, a, Long::sum);
                resourceRows.add(new String[] {p.request().consumerId(), rc, Long.toString(a)});
            });
            Locked l = locked.get(h);
            Resources r = p.request().resources();
            Claim claim = new Claim(p.request().consumerId(), p.request().projectId(), h, l.name(), l.endpoint(), r);
            attempts.set(i, new ClaimAttempt.Won(claim));
            events.add(CloudEvent.of(store.eventSource(), Topics.TYPE_ALLOCATION_CLAIMED, claim.consumerId(),
                    ClaimStore.event(claim.consumerId(), h, r)));
        }
        Map<String, Long> seqs = usage.isEmpty() ? Map.of() : writeClaims(c, resourceRows, usage);
        store.outbox().appendAll(c, Topics.SCHEDULER_ALLOCATIONS, events);

        List<HostStore.Versioned> fresh = new ArrayList<>();
        Map<String, HostState> chosen = new HashMap<>();
        batch.forEach(p -> chosen.putIfAbsent(p.host().id(), p.host()));
        for (String h : hostIds) {
            Locked l = locked.get(h);
            if (l == null) {
                continue;
            }
            HostState base = chosen.get(h);
            fresh.add(new HostStore.Versioned(new HostState(base.id(), l.name(), base.hypervisorType(), l.endpoint(),
                    base.enabled(), base.disabledReason(), base.maintenance(), inventories.getOrDefault(h, Map.of()), base.traits(),
                    base.lastHeartbeatAt(), base.generation() + (seqs.containsKey(h) ? 1 : 0), 0, base.placement()),
                    seqs.getOrDefault(h, l.seq())));
        }
        Set<String> gone = new HashSet<>(hostIds);
        gone.removeAll(locked.keySet());
        return new Result(attempts, fresh, gone);
    }

    private static boolean fits(Map<String, Inventory> inv, Map<String, Long> amounts) {
        for (Map.Entry<String, Long> e : amounts.entrySet()) {
            Inventory i = inv.get(e.getKey());
            if (i == null || !i.fits(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean groupAllows(PlacementRequest r, String hostId, Map<String, Map<String, Integer>> members) {
        GroupPlacement g = r.group();
        if (g == null || !g.hard()) {
            return true;
        }
        return new GroupPlacement(g.groupId(), g.name(), g.policy(), members.getOrDefault(g.groupId(), Map.of()))
                .allows(hostId);
    }

    /** Locks the batch's hard groups and reads where their members are: group → host → members. */
    private static Map<String, Map<String, Integer>> lockGroups(Connection c, List<Planned> batch)
            throws SQLException {
        TreeSet<String> groups = new TreeSet<>();
        batch.forEach(p -> {
            if (p.request().group() != null && p.request().group().hard()) {
                groups.add(p.request().group().groupId());
            }
        });
        Map<String, Map<String, Integer>> members = new HashMap<>();
        if (groups.isEmpty()) {
            return members;
        }
        try (PreparedStatement ps = c.prepareStatement(LOCK_GROUPS)) {
            ps.setArray(1, c.createArrayOf("text", groups.toArray()));
            ps.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement(GROUP_MEMBERS)) {
            ps.setArray(1, c.createArrayOf("text", groups.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).merge(rs.getString(2), 1,
                            Integer::sum);
                }
            }
        }
        return members;
    }

    private static Map<String, Locked> lockHosts(Connection c, Set<String> hostIds) throws SQLException {
        Map<String, Locked> locked = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_HOSTS)) {
            ps.setArray(1, c.createArrayOf("text", hostIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locked.put(rs.getString(1), new Locked(rs.getString(2), rs.getString(3),
                            rs.getBoolean(4) && !rs.getBoolean(5), rs.getLong(6)));
                }
            }
        }
        return locked;
    }

    private static Map<String, Map<String, Inventory>> inventories(Connection c, Set<String> hostIds)
            throws SQLException {
        Map<String, Map<String, Inventory>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INVENTORIES)) {
            ps.setArray(1, c.createArrayOf("text", hostIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), new Inventory(
                            rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                            rs.getDouble(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    private static Set<String> insertAllocations(Connection c, List<Planned> batch, List<Integer> winners)
            throws SQLException {
        Set<String> inserted = new HashSet<>();
        if (winners.isEmpty()) {
            return inserted;
        }
        int n = winners.size();
        String[] consumers = new String[n];
        String[] hosts = new String[n];
        String[] projects = new String[n];
        String[] groups = new String[n];
        for (int k = 0; k < n; k++) {
            PlacementRequest r = batch.get(winners.get(k)).request();
            consumers[k] = r.consumerId();
            hosts[k] = batch.get(winners.get(k)).host().id();
            projects[k] = r.projectId();
            groups[k] = r.group() == null ? "" : r.group().groupId();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ALLOCATIONS)) {
            ps.setArray(1, c.createArrayOf("text", consumers));
            ps.setArray(2, c.createArrayOf("text", hosts));
            ps.setArray(3, c.createArrayOf("text", projects));
            ps.setArray(4, c.createArrayOf("text", groups));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    /**
     * The winners' resource rows, their usage and the hosts' bump in one statement (one round trip instead of
     * three); returns each bumped host's new change sequence.
     *
     * @throws IllegalStateException when a usage row did not take its amount (capacity or row changed under
     *         the held host lock; the transaction is rolled back)
     */
    private static Map<String, Long> writeClaims(Connection c, List<String[]> rows,
                                                 Map<String, Map<String, Long>> usage) throws SQLException {
        List<String> hosts = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        usage.forEach((h, m) -> m.forEach((rc, a) -> {
            hosts.add(h);
            classes.add(rc);
            amounts.add(a);
        }));
        Map<String, Long> seqs = new HashMap<>();
        long updated = -1;
        try (PreparedStatement ps = c.prepareStatement(WRITE_CLAIMS)) {
            ps.setArray(1, c.createArrayOf("text", rows.stream().map(r -> r[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", rows.stream().map(r -> r[1]).toArray()));
            ps.setArray(3, c.createArrayOf("bigint", rows.stream().map(r -> Long.parseLong(r[2])).toArray()));
            ps.setArray(4, c.createArrayOf("text", hosts.toArray()));
            ps.setArray(5, c.createArrayOf("text", classes.toArray()));
            ps.setArray(6, c.createArrayOf("bigint", amounts.toArray()));
            ps.setArray(7, c.createArrayOf("text", usage.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.put(rs.getString(1), rs.getLong(2));
                    updated = rs.getLong(3);
                }
            }
        }
        if (updated != hosts.size()) {
            throw new IllegalStateException("inventory usage changed under a held host lock (" + updated + " of "
                    + hosts.size() + " rows); nothing written");
        }
        return seqs;
    }
}

package io.virga.e2e;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checking half of the chaos test: once the storm is over, waits for the cloud to settle
 * (no instance BUILDING or DELETING, every outbox drained) and then compares what the public API
 * says with what each service's own database holds. Every finding is a line in {@link #findings()}
 * under one of these headings:
 * <ul>
 *   <li>{@code lost}: an instance the API accepted (202) that it no longer knows;</li>
 *   <li>{@code stuck}: an instance still BUILDING or DELETING after the settle budget, or one asked to be
 *       deleted that is not DELETED;</li>
 *   <li>{@code leaked}: a scheduler claim, a port or a volume still held for an instance that is DELETED
 *       or in ERROR;</li>
 *   <li>{@code missing}: an ACTIVE instance without its claim, port or volume;</li>
 *   <li>{@code quota_drift}: the project's counted usage differs from the instances holding quota;</li>
 *   <li>{@code outbox}: events never published;</li>
 *   <li>{@code guests}: a surviving host whose running-guest gauge differs from the instances the API places there;</li>
 *   <li>{@code power_state}: an ACTIVE instance not shown RUNNING on a surviving host, or not UNKNOWN on a lost one.</li>
 * </ul>
 */
final class ChaosAudit {
    static final Duration SETTLE = Duration.ofMinutes(6);
    private static final Set<String> TRANSIENT = Set.of("BUILDING", "DELETING");
    private static final List<String> OUTBOX_DBS =
            List.of("virga_gateway", "virga_scheduler", "virga_network", "virga_storage");

    private final Cloud cloud;
    private final Api member;
    private final Map<String, List<String>> findings = new LinkedHashMap<>();
    private final Map<String, String> status = new HashMap<>();
    private final Map<String, String> hostOf = new HashMap<>();
    private final Map<String, String> faults = new HashMap<>();

    ChaosAudit(Cloud cloud, Api member) {
        this.cloud = cloud;
        this.member = member;
        for (String k : List.of("lost", "stuck", "leaked", "missing", "quota_drift", "outbox", "guests",
                "power_state")) {
            findings.put(k, new ArrayList<>());
        }
    }

    /** Every finding by heading; all lists empty means the cloud lost track of nothing. */
    Map<String, List<String>> findings() {
        return findings;
    }

    /** Final status of every created instance. */
    Map<String, String> statuses() {
        return status;
    }

    /** Fault messages of instances that ended in ERROR. */
    Map<String, String> errorFaults() {
        return faults;
    }

    /** Waits for the settle, then runs every check. */
    void run(ChaosStorm.Result storm, List<String> survivingHosts, List<String> lostHosts) {
        settle(storm.created());
        for (String id : storm.created()) {
            String s = status.get(id);
            if (s == null) {
                findings.get("lost").add(id);
            } else if (TRANSIENT.contains(s)) {
                findings.get("stuck").add(id + " " + s);
            }
        }
        for (String id : storm.deleted()) {
            String s = status.get(id);
            if (s != null && !"DELETED".equals(s)) {
                findings.get("stuck").add(id + " asked to be deleted, is " + s);
            }
        }
        checkResources(storm.created());
        checkQuota();
        checkOutboxes();
        checkGuests(survivingHosts);
        checkPowerStates(survivingHosts, lostHosts);
    }

    private void settle(List<String> ids) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            boolean settled = true;
            for (String id : ids) {
                if (status.containsKey(id) && !TRANSIENT.contains(status.get(id))) {
                    continue;
                }
                Response r = member.get("/v1/instances/" + id);
                if (r.statusCode() == 200) {
                    status.put(id, r.path("status"));
                    String host = r.path("host_name");
                    if (host != null) {
                        hostOf.put(id, host);
                    }
                    if ("ERROR".equals(r.path("status"))) {
                        faults.put(id, String.valueOf((Object) r.path("fault.message")));
                    }
                } else if (r.statusCode() == 404) {
                    status.remove(id);
                } else {
                    settled = false;
                }
                settled &= status.containsKey(id) && !TRANSIENT.contains(status.get(id));
            }
            if (settled || System.nanoTime() > deadline) {
                return;
            }
            Api.sleep(1000);
        }
    }

    private void checkResources(List<String> ids) {
        Set<String> claims = Set.copyOf(cloud.column("virga_scheduler", "SELECT consumer_id FROM allocations"));
        Set<String> portOwners = Set.copyOf(cloud.column("virga_network",
                "SELECT device_id FROM ports WHERE device_id <> ''"));
        Set<String> volumeOwners = Set.copyOf(cloud.column("virga_storage",
                "SELECT owner_id FROM volumes WHERE owner_id IS NOT NULL AND status <> 'DELETING'"));
        for (String id : ids) {
            String s = status.get(id);
            boolean gone = "DELETED".equals(s) || "ERROR".equals(s);
            boolean active = "ACTIVE".equals(s);
            check(id, "claim", claims.contains(id), gone, active);
            check(id, "port", portOwners.contains(id), gone, active);
            check(id, "volume", volumeOwners.contains(id), gone, active);
        }
    }

    private void check(String id, String what, boolean held, boolean gone, boolean active) {
        if (held && gone) {
            findings.get("leaked").add(what + " of " + id + " (" + status.get(id) + ")");
        } else if (!held && active) {
            findings.get("missing").add(what + " of ACTIVE " + id);
        }
    }

    private void checkQuota() {
        List<String> counted = cloud.column("virga_gateway",
                "SELECT used_instances || '/' || used_vcpus || '/' || used_ram_mb FROM project_quotas WHERE project_id = ?",
                member.projectId());
        List<String> held = cloud.column("virga_gateway",
                "SELECT count(*) || '/' || coalesce(sum(vcpus), 0) || '/' || coalesce(sum(ram_mb), 0) FROM instances "
                        + "WHERE project_id = ? AND quota_held", member.projectId());
        if (!counted.equals(held)) {
            findings.get("quota_drift").add("counted " + counted + ", held by instances " + held);
        }
    }

    private void checkOutboxes() {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (String db : OUTBOX_DBS) {
            String left;
            do {
                left = cloud.column(db, "SELECT count(*) FROM virga_outbox").get(0);
                if ("0".equals(left)) {
                    break;
                }
                Api.sleep(500);
            } while (System.nanoTime() < deadline);
            if (!"0".equals(left)) {
                findings.get("outbox").add(db + ": " + left + " events unpublished");
            }
        }
    }

    /** Waits (up to 2 minutes: host timeout plus the gateway's liveness refresh) for the power states to show. */
    private void checkPowerStates(List<String> surviving, List<String> lost) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> wrong;
        do {
            wrong = new ArrayList<>();
            for (Map.Entry<String, String> e : hostOf.entrySet()) {
                if (!"ACTIVE".equals(status.get(e.getKey()))) {
                    continue;
                }
                String expected = lost.contains(e.getValue()) ? "UNKNOWN"
                        : surviving.contains(e.getValue()) ? "RUNNING" : null;
                if (expected == null) {
                    continue;
                }
                String shown = member.get("/v1/instances/" + e.getKey()).path("power_state");
                if (!expected.equals(shown)) {
                    wrong.add(e.getKey() + " on " + e.getValue() + " shows " + shown + ", expected " + expected);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            Api.sleep(1000);
        } while (System.nanoTime() < deadline);
        findings.get("power_state").addAll(wrong);
    }

    private void checkGuests(List<String> hosts) {
        for (String host : hosts) {
            long expected = hostOf.entrySet().stream()
                    .filter(e -> host.equals(e.getValue()) && "ACTIVE".equals(status.get(e.getKey()))).count();
            try {
                cloud.awaitMetric(host, "virga_compute_guests_running", expected, "guests on " + host);
            } catch (AssertionError e) {
                findings.get("guests").add(e.getMessage());
            }
        }
    }
}

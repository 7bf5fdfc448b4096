package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.devstack.NodeMix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Chaos: while {@code virga.chaos.instances} instances (default 40) are created through the
 * public API at {@code virga.chaos.concurrency} (default 4), and every 4th deleted again, each
 * service is killed (SIGKILL) and restarted, Kafka and PostgreSQL are restarted, and one compute
 * host is lost for good. Afterwards {@link ChaosAudit} checks that the cloud lost track of nothing:
 * no instance lost or stuck, no claim, port or volume leaked or missing, quota usage exact, every
 * outbox drained and every surviving host running exactly the guests the API places on it.
 *
 * <p>The CI form is short (40 instances on three simulated hosts); {@code bench/run chaos N C}
 * runs a longer one. A summary is written to {@code target/chaos-summary.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    private final int instances = Integer.getInteger("virga.chaos.instances", 40);
    private final int concurrency = Integer.getInteger("virga.chaos.concurrency", 4);
    private Cloud cloud;
    private Api member;
    private Map<String, Object> createBody;

    @BeforeAll
    void startCloud() {
        int vcpus = Math.max(8, instances);
        cloud = Cloud.start(NodeMix.parse("sim:3"), Map.of(
                "virga.compute.sim.vcpus", String.valueOf(vcpus),
                "virga.compute.sim.ram-mb", String.valueOf(vcpus * 128L * 4)));
        Api admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "c1.tiny", "vcpus", 1, "ram_mb", 128, "disk_gb", 1))
                .then().statusCode(201);
        String network = admin.create("/v1/networks", Map.of("name", "chaos-net", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "chaos-v4", "cidr", "10.77.0.0/16"))
                .then().statusCode(201);
        String image = admin.create("/v1/images",
                Map.of("name", "chaos-img", "disk_format", "raw", "visibility", "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[4096])
                .put("/v1/images/" + image + "/data").then().statusCode(200);
        member = cloud.newProjectMember("chaos");
        cloud.raiseQuota(member, Map.of("instances", instances * 2, "vcpus", instances * 2, "ram_mb", instances * 512));
        createBody = Map.of("flavor", "c1.tiny", "image", image, "networks", List.of(Map.of("network", network)));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void theCloudLosesTrackOfNothingWhileEveryPartFails() throws Exception {
        List<ChaosStorm.Fault> faults = List.of(
                new ChaosStorm.Fault("kill api-gateway", () -> cloud.crashAndRestart("api-gateway")),
                new ChaosStorm.Fault("kill scheduler-svc", () -> cloud.crashAndRestart("scheduler-svc")),
                new ChaosStorm.Fault("kill network-svc", () -> cloud.crashAndRestart("network-svc")),
                new ChaosStorm.Fault("restart kafka", () -> cloud.restartAny("kafka")),
                new ChaosStorm.Fault("kill storage-svc", () -> cloud.crashAndRestart("storage-svc")),
                new ChaosStorm.Fault("kill host-1", () -> cloud.crashAndRestart("host-1")),
                new ChaosStorm.Fault("restart postgres", () -> cloud.restartAny("postgres")),
                new ChaosStorm.Fault("lose host-3", () -> cloud.kill("host-3")));
        long t0 = System.nanoTime();
        ChaosStorm.Result storm = new ChaosStorm(member, createBody, instances, concurrency).run(faults);
        double stormSecs = (System.nanoTime() - t0) / 1e9;
        ChaosAudit audit = new ChaosAudit(cloud, member);
        audit.run(storm, List.of("host-1", "host-2"), List.of("host-3"));
        double totalSecs = (System.nanoTime() - t0) / 1e9;

        Map<String, Long> byStatus = new TreeMap<>();
        audit.statuses().values().forEach(s -> byStatus.merge(s, 1L, Long::sum));
        StringBuilder summary = new StringBuilder();
        summary.append(String.format("instances=%d concurrency=%d created=%d deleted=%d storm_s=%.1f settled_s=%.1f%n",
                instances, concurrency, storm.created().size(), storm.deleted().size(), stormSecs, totalSecs));
        summary.append("final statuses: ").append(byStatus).append('\n');
        storm.faultSeconds().forEach((f, s) -> summary.append(String.format("fault %-20s %.1f s%s%n", f, s,
                storm.faultErrors().containsKey(f) ? " FAILED " + storm.faultErrors().get(f) : "")));
        audit.findings().forEach((k, v) -> summary.append(k).append('=').append(v.size())
                .append(v.isEmpty() ? "" : " " + v).append('\n'));
        audit.errorFaults().forEach((id, fault) -> summary.append("error ").append(id).append(": ").append(fault)
                .append('\n'));
        storm.clientErrors().forEach(e -> summary.append("client error: ").append(e).append('\n'));
        summary.append(String.format("instances=%d faults=%d active=%d error=%d deleted=%d stuck=%d leaked=%d lost=%d "
                        + "missing=%d quota_drift=%d outbox=%d guests=%d power_state=%d%n", storm.created().size(),
                faults.size() - storm.faultErrors().size(), byStatus.getOrDefault("ACTIVE", 0L),
                byStatus.getOrDefault("ERROR", 0L), byStatus.getOrDefault("DELETED", 0L), count(audit, "stuck"),
                count(audit, "leaked"), count(audit, "lost"), count(audit, "missing"), count(audit, "quota_drift"),
                count(audit, "outbox"), count(audit, "guests"), count(audit, "power_state")));
        System.out.print("chaos summary:\n" + summary);
        writeSummary(summary.toString());

        assertTrue(storm.faultErrors().isEmpty(), "every fault was injected: " + storm.faultErrors());
        assertTrue(storm.clientErrors().isEmpty(), "every request was answered: " + storm.clientErrors());
        assertEquals(instances, storm.created().size(), "every create was accepted exactly once");
        audit.findings().forEach((k, v) -> assertTrue(v.isEmpty(), k + ": " + v));
        assertEquals(0, byStatus.getOrDefault("ERROR", 0L), "no instance failed: " + audit.errorFaults());
    }

    /**
     * After the storm the product's own consistency audit agrees (nothing found); then an instance is
     * made to vanish behind the services' backs (marked DELETED in the gateway's database only) and the
     * audit finds its port, volume and guest, repairs the port and the guest, and keeps reporting the
     * volume (whose data may matter).
     */
    @Test
    @org.junit.jupiter.api.Order(2)
    void theConsistencyAuditFindsNothingAfterTheStormAndRepairsWhatWasOrphanedByHand() {
        Api admin = cloud.admin();
        io.restassured.response.Response clean = admin.request().post("/v1/admin/consistency-audit");
        clean.then().statusCode(200);
        System.out.println("chaos: consistency audit after the storm: " + clean.asString());
        for (String kind : List.of("orphan_port", "orphan_volume", "orphan_guest", "missing_port", "missing_volume",
                "missing_guest", "unreachable_host")) {
            assertEquals(0, (int) clean.path("counts." + kind), kind + ": " + clean.asString());
        }
        assertTrue((int) clean.path("checked.guests") > 0, clean.asString());

        String victim = member.get("/v1/instances?status=ACTIVE&limit=100").jsonPath()
                .getList("items.findAll { it.host_name == 'host-1' }.id", String.class).get(0);
        double guestsBefore = cloud.metric("host-1", "virga_compute_guests_running");
        assertEquals(1, cloud.update("virga_gateway", "UPDATE instances SET status = 'DELETED', task = NULL,"
                + " deleted_at = now(), quota_held = false WHERE id = ?", victim));

        io.restassured.response.Response found = admin.request().post("/v1/admin/consistency-audit");
        found.then().statusCode(200);
        assertEquals(1, (int) found.path("counts.orphan_port"), found.asString());
        assertEquals(1, (int) found.path("counts.orphan_volume"), found.asString());
        assertEquals(1, (int) found.path("counts.orphan_guest"), found.asString());

        io.restassured.response.Response repaired = admin.request().post("/v1/admin/consistency-audit?repair=true");
        repaired.then().statusCode(200);
        assertTrue(repaired.jsonPath().getList("findings.findAll { it.kind == 'ORPHAN_PORT' }.repaired",
                Boolean.class).contains(true), repaired.asString());
        cloud.awaitMetric("host-1", "virga_compute_guests_running", guestsBefore - 1,
                "the orphan reaper destroyed the guest the audit handed it");

        io.restassured.response.Response after = admin.request().post("/v1/admin/consistency-audit");
        after.then().statusCode(200);
        System.out.println("chaos: consistency audit after repair: " + after.asString());
        assertEquals(0, (int) after.path("counts.orphan_port"), after.asString());
        assertEquals(0, (int) after.path("counts.orphan_guest"), after.asString());
        assertEquals(1, (int) after.path("counts.orphan_volume"), "volumes are reported, never deleted");
    }

    private static int count(ChaosAudit audit, String heading) {
        return audit.findings().get(heading).size();
    }

    private static void writeSummary(String text) throws IOException {
        Path out = Path.of("target", "chaos-summary.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
    }
}

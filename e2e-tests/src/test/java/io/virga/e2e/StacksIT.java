package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Stacks on a running cloud (sim compute nodes): plan and apply a network, a subnet, a security group
 * with a rule, a volume and two instances; the same spec again changes nothing; drift made by hand (an
 * instance stopped, a rule deleted) shows in the next plan and the apply repairs it; an instance over
 * the project's vCPU quota fails half-way, keeps what succeeded and skips its dependant, and the fixed
 * spec converges; destroy leaves nothing. Plan and apply times of a 20-resource stack are printed
 * ({@code STACK-FIGURE …}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StacksIT {
    private static final Duration OP = Duration.ofMinutes(6);
    static final String SPEC = """
            variables:
              flavor: m1.small
              image: {description: the image id}
            resources:
              network:
                web: {name: web}
              subnet:
                web-v4: {network_id: "${network.web.id}", cidr: 10.30.0.0/24}
              security_group:
                web: {name: web, description: ssh in}
              security_group_rule:
                ssh: {security_group_id: "${security_group.web.id}", direction: ingress, protocol: tcp,
                      port_range_min: 22, port_range_max: 22, remote_ip_prefix: 0.0.0.0/0}
              volume:
                data: {name: data, size_gb: 1}
              instance:
                web-1: {name: web-1, flavor: "${var.flavor}", image: "${var.image}", networks: [{network: "${subnet.web-v4.network_id}"}]}
                web-2: {name: web-2, flavor: "${var.flavor}", image: "${var.image}", networks: [{network: "${subnet.web-v4.network_id}"}]}
            outputs:
              web_1_ip: ${instance.web-1.addresses[0].ip}
              network: ${network.web.id}
            """;
    static final String OVER_QUOTA = SPEC
            .replace("\noutputs:", "\n    big: {name: big, flavor: x1.huge, image: \"${var.image}\","
                    + " networks: [{network: \"${subnet.web-v4.network_id}\"}]}\noutputs:")
            .replace("    data: {name: data, size_gb: 1}\n", "    data: {name: data, size_gb: 1}\n"
                    + "    big-data: {name: \"data-${instance.big.id}\", size_gb: 1}\n");

    private Cloud cloud;
    private Api member;
    private String image;
    private final Map<String, Double> figures = new HashMap<>();

    @BeforeAll
    void startCloud() {
        cloud = Cloud.start();
        Api admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "m1.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "x1.huge", "vcpus", 32, "ram_mb", 1024, "disk_gb", 1))
                .then().statusCode(201);
        image = admin.create("/v1/images", Map.of("name", "tiny", "disk_format", "raw", "visibility",
                "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200);
        member = cloud.newProjectMember("stacks-it");
    }

    @AfterAll
    void stopCloud() {
        figures.forEach((k, v) -> System.out.printf("STACK-FIGURE %s %.2f s%n", k, v));
        if (cloud != null) {
            cloud.close();
        }
    }

    private Response plan(String stack, String spec) {
        return member.post("/v1/stacks/" + stack + "/plan", Map.of("spec", spec, "variables", Map.of("image", image))).then().statusCode(200).extract()
                .response();
    }

    private Response apply(String stack, String spec, String expected) {
        String location = member.post("/v1/stacks/" + stack + "/apply", Map.of("spec", spec, "variables", Map.of("image", image))).then().statusCode(202)
                .extract().header("Location");
        Response op = member.await(location, OP, r -> !"RUNNING".equals(r.path("status")));
        assertEquals(expected, op.path("status"), op.asString());
        return op;
    }

    @Test
    @Order(1)
    void planThenApplyMakesEverythingAndTheSameSpecAgainChangesNothing() {
        plan("web", SPEC).then().body("summary.create", equalTo(7))
                .body("resources.find { it.address == 'instance.web-1' }.changes.find { it.attribute == 'networks' }"
                        + ".after[0].network", equalTo("(known after apply)"));
        apply("web", SPEC, "SUCCEEDED");
        Response stack = member.get("/v1/stacks/web");
        stack.then().statusCode(200).body("status", equalTo("APPLIED")).body("resources.size()", equalTo(7))
                .body("outputs.web_1_ip", startsWith("10.30.0.")).body("outputs.network", startsWith("n-"));
        String web1 = stack.path("resources.find { it.address == 'instance.web-1' }.id");
        member.get("/v1/instances/" + web1).then().body("status", equalTo("ACTIVE"));
        plan("web", SPEC).then().body("summary.no-op", equalTo(7));
        Response again = apply("web", SPEC, "SUCCEEDED");
        assertEquals(0, again.<Integer>path("steps.size()"), again.asString());
    }

    @Test
    @Order(2)
    void driftMadeByHandShowsInThePlanAndApplyRepairsIt() {
        Response stack = member.get("/v1/stacks/web");
        String web1 = stack.path("resources.find { it.address == 'instance.web-1' }.id");
        String group = stack.path("resources.find { it.address == 'security_group.web' }.id");
        String rule = stack.path("resources.find { it.address == 'security_group_rule.ssh' }.id");
        member.post("/v1/instances/" + web1 + "/actions", Map.of("action", "stop")).then().statusCode(202);
        member.await("/v1/instances/" + web1, OP, r -> "STOPPED".equals(r.path("status")));
        member.delete("/v1/security-groups/" + group + "/rules/" + rule).then().statusCode(204);
        Response p = plan("web", SPEC);
        p.then().body("resources.find { it.address == 'instance.web-1' }.action", equalTo("update"))
                .body("resources.find { it.address == 'security_group_rule.ssh' }.action", equalTo("create"))
                .body("summary.no-op", equalTo(5));
        apply("web", SPEC, "SUCCEEDED");
        member.get("/v1/instances/" + web1).then().body("status", equalTo("ACTIVE"));
        member.get("/v1/security-groups/" + group).then().body("security_group_rules.port_range_min", hasItem(22));
        plan("web", SPEC).then().body("summary.no-op", equalTo(7));
    }

    @Test
    @Order(3)
    void aFailureHalfWayKeepsWhatSucceededAndTheFixedSpecConverges() {
        plan("web", OVER_QUOTA).then().body("summary.create", equalTo(2)).body("summary.no-op", equalTo(7));
        Response op = apply("web", OVER_QUOTA, "FAILED");
        assertTrue(op.path("fault.message").toString().contains("instance.big"), op.asString());
        op.then().body("steps.find { it.name == 'create volume.big-data' }.status", equalTo("FAILED"))
                .body("steps.find { it.name == 'create volume.big-data' }.detail", startsWith("skipped"));
        member.get("/v1/stacks/web").then().body("status", equalTo("FAILED")).body("resources.size()", equalTo(7));
        String fixed = OVER_QUOTA.replace("flavor: x1.huge", "flavor: m1.small");
        plan("web", fixed).then().body("summary.create", equalTo(2)).body("summary.no-op", equalTo(7));
        apply("web", fixed, "SUCCEEDED");
        plan("web", fixed).then().body("summary.no-op", equalTo(9));
        apply("web", SPEC, "SUCCEEDED");
        member.get("/v1/stacks/web").then().body("resources.size()", equalTo(7));
    }

    @Test
    @Order(4)
    void destroyLeavesNothing() {
        String location = member.delete("/v1/stacks/web").then().statusCode(202).body("summary.delete", equalTo(7))
                .extract().header("Location");
        Response op = member.await(location, OP, r -> !"RUNNING".equals(r.path("status")));
        assertEquals("SUCCEEDED", op.path("status"), op.asString());
        member.get("/v1/stacks/web").then().statusCode(404);
        member.get("/v1/instances").then().body("items.size()", equalTo(0));
        member.get("/v1/volumes").then().body("items.size()", equalTo(0));
        member.get("/v1/networks").then().body("items.findAll { it.project_id == '" + member.projectId()
                + "' }.size()", equalTo(0));
        member.get("/v1/security-groups").then().body("items.name", equalTo(java.util.List.of("default")));
    }

    @Test
    @Order(5)
    void twentyResourcesPlanAndApplyTimes() {
        StringBuilder spec = new StringBuilder("variables:\n  image: {description: id}\nresources:\n  network:\n    n: {name: n}\n  subnet:\n"
                + "    s: {network_id: \"${network.n.id}\", cidr: 10.31.0.0/24}\n  security_group:\n    g: {name: g}\n"
                + "  security_group_rule:\n");
        for (int i = 0; i < 5; i++) {
            spec.append("    r").append(i).append(": {security_group_id: \"${security_group.g.id}\", direction: ingress,"
                    + " protocol: tcp, port_range_min: ").append(8000 + i).append(", port_range_max: ")
                    .append(8000 + i).append("}\n");
        }
        spec.append("  volume:\n");
        for (int i = 0; i < 6; i++) {
            spec.append("    v").append(i).append(": {name: v").append(i).append(", size_gb: 1}\n");
        }
        spec.append("  instance:\n");
        for (int i = 0; i < 6; i++) {
            spec.append("    i").append(i).append(": {name: i").append(i)
                    .append(", flavor: m1.small, image: \"${var.image}\", networks: [{network: \"${subnet.s.network_id}\"}]}\n");
        }
        String text = spec.toString();
        long t0 = System.nanoTime();
        plan("twenty", text).then().body("summary.create", equalTo(20));
        figures.put("plan-20-new", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        Response op = apply("twenty", text, "SUCCEEDED");
        figures.put("apply-20", (System.nanoTime() - t0) / 1e9);
        assertEquals(20, op.<Integer>path("steps.size()"), op.asString());
        t0 = System.nanoTime();
        plan("twenty", text).then().body("summary.no-op", equalTo(20));
        figures.put("plan-20-no-op", (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        String location = member.delete("/v1/stacks/twenty").then().statusCode(202).extract().header("Location");
        assertEquals("SUCCEEDED", member.await(location, OP, r -> !"RUNNING".equals(r.path("status")))
                .path("status"));
        figures.put("destroy-20", (System.nanoTime() - t0) / 1e9);
    }
}

package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.virga.devstack.NodeMix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Packets between real runc containers made through the public API, on the
 * {@code linux} data plane of two runc nodes. Each node's bridges, VXLAN
 * devices and nftables live in a network namespace this test makes
 * ({@code vn-e…}); the two are joined by a veth underlay. Probes run inside
 * the containers' own network namespaces ({@code ip netns exec virga-<id>}):
 * no process in the host's namespace sends to a guest address.
 */
@SuppressWarnings("unchecked")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkDataPlaneIT {
    private static final Duration BOOT = Duration.ofMinutes(4);
    private final String tag = UUID.randomUUID().toString().substring(0, 4);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private final Map<String, String> images = new HashMap<>();
    private Cloud cloud;
    private Api admin;
    private Api member;
    private String netA;
    private String netB;
    private String sshOnly;
    /** instance ids and addresses by name. */
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, String> ips = new HashMap<>();
    private long createToPingMs = -1;
    /** host-1's plane namespace: the router node. */
    private String routerNode;
    private String external;
    private String router;

    @BeforeAll
    void startCloud() throws Exception {
        assumeTrue(NodeMix.onPath("runc") && NodeMix.onPath("nft") && NodeMix.onPath("busybox")
                && "root".equals(System.getProperty("user.name")), "needs root, runc, nft and busybox");
        String n1 = netns("e1");
        routerNode = n1;
        String n2 = netns("e2");
        sh("ip", "-n", n1, "link", "add", "vn-u1", "type", "veth", "peer", "name", "vn-u2", "netns", n2);
        sh("ip", "-n", n1, "addr", "add", "192.168.252.1/24", "dev", "vn-u1");
        sh("ip", "-n", n2, "addr", "add", "192.168.252.2/24", "dev", "vn-u2");
        sh("ip", "-n", n1, "link", "set", "vn-u1", "up");
        sh("ip", "-n", n2, "link", "set", "vn-u2", "up");
        Path imageDir = buildGuestImages();
        cloud = Cloud.start(NodeMix.parse("runc:2"), Map.of("virga.network.backend", "linux",
                        "virga.network.sync-interval", "250ms"),
                Map.of("host-1", Map.of("virga.network.namespace", n1, "virga.network.underlay-ip", "192.168.252.1",
                                "virga.network.peers", "192.168.252.2", "virga.network.routers", "true"),
                        "host-2", Map.of("virga.network.namespace", n2, "virga.network.underlay-ip", "192.168.252.2",
                                "virga.network.peers", "192.168.252.1")));
        admin = cloud.admin();
        registerImages(imageDir);
        admin.post("/v1/flavors", Map.of("name", "ct.net", "vcpus", 1, "ram_mb", 128, "disk_gb", 1,
                "kind", "container")).then().statusCode(201);
        member = cloud.newProjectMember("net");
        netA = member.create("/v1/networks", Map.of("name", "a"), 201);
        netB = member.create("/v1/networks", Map.of("name", "b"), 201);
        // the same CIDR on both: only the L2 separation of the networks keeps them apart
        member.post("/v1/networks/" + netA + "/subnets", Map.of("cidr", "10.81.0.0/24")).then().statusCode(201);
        member.post("/v1/networks/" + netB + "/subnets", Map.of("cidr", "10.81.0.0/24")).then().statusCode(201);
        sshOnly = member.create("/v1/security-groups", Map.of("name", "ssh-only"), 201);
        member.post("/v1/security-groups/" + sshOnly + "/rules", Map.of("direction", "ingress", "protocol", "tcp",
                "port_range_min", 22, "port_range_max", 22, "remote_ip_prefix", "0.0.0.0/0")).then().statusCode(201);
        member.post("/v1/security-groups/" + sshOnly + "/rules", Map.of("direction", "egress"))
                .then().statusCode(201);
        String port = member.create("/v1/ports", Map.of("network", netA, "security_groups", List.of(sshOnly)), 201);

        launch("c1", Map.of("network", netA));
        launch("c2", Map.of("network", netA));
        launch("c3", Map.of("network", netB, "fixed_ip", "10.81.0.50"));
        launch("c4", Map.of("port", port));
        for (String name : List.of("c1", "c2", "c3", "c4")) {
            Response r = member.await("/v1/instances/" + ids.get(name), BOOT, x -> !"BUILDING".equals(x.path("status")));
            assertEquals("ACTIVE", r.path("status"), r.asString());
            ips.put(name, r.path("addresses[0].ip"));
            System.out.printf("[vn-e2e] %s %s on %s, %s%n", name, ids.get(name), r.path("host_name"), ips.get(name));
        }
        long created = System.nanoTime();
        createToPingMs = within(30_000, () -> ping("c1", ips.get("c2")));
        System.out.printf("[vn-e2e] ACTIVE → c1 pings c2: %d ms%n", createToPingMs);
    }

    @AfterAll
    void stop() {
        servers.forEach(Process::destroy);
        if (cloud != null) {
            cloud.close();
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            run("ip", "netns", "del", namespaces.get(i));
        }
    }

    @Test
    @Order(1)
    void twoGuestsOnOneNetworkReachEachOtherByPingAndTcp() {
        assertTrue(createToPingMs >= 0, "c1 pings c2");
        assertEquals("10.81.0.50", ips.get("c3"), "the fixed_ip asked for");
        serve("c2", 80);
        assertTrue(within(10_000, () -> tcp("c1", ips.get("c2"), 80)) >= 0, "TCP 80 between members of default");
        assertTrue(ping("c2", ips.get("c1")));
    }

    @Test
    @Order(2)
    void guestsOnDifferentNetworksDoNotReachEachOther() {
        assertFalse(ping("c1", "10.81.0.50"), "same CIDR, other network: unreachable");
        assertFalse(ping("c3", ips.get("c1")));
    }

    @Test
    @Order(3)
    void anSshOnlyGroupBlocksPingAndHttpAndRuleChangesApplyWithinASecond() {
        String c4 = ips.get("c4");
        serve("c4", 22);
        serve("c4", 80);
        assertTrue(within(10_000, () -> tcp("c1", c4, 22)) >= 0, "TCP 22 allowed");
        assertFalse(tcp("c1", c4, 80), "TCP 80 blocked");
        assertFalse(ping("c1", c4), "ping blocked");
        long t0 = System.nanoTime();
        String rule = member.create("/v1/security-groups/" + sshOnly + "/rules",
                Map.of("direction", "ingress", "protocol", "icmp"), 201);
        long allowed = within(5_000, () -> ping("c1", c4));
        long apiMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[vn-e2e] rule added → ping passes: %d ms after the 201 (%d ms from the POST)%n",
                allowed, apiMs);
        assertTrue(allowed >= 0 && allowed < 1_500, "an added rule applies within a second or so: " + allowed);
        member.delete("/v1/security-groups/" + sshOnly + "/rules/" + rule).then().statusCode(204);
        long blocked = within(5_000, () -> !ping("c1", c4));
        System.out.printf("[vn-e2e] rule removed → ping blocked after %d ms%n", blocked);
        assertTrue(blocked >= 0 && blocked < 2_500, "a removed rule stops traffic at once: " + blocked);
    }

    @Test
    @Order(4)
    void deletingAGuestRemovesItsFilterFromTheNode() {
        String id = ids.get("c2");
        member.delete("/v1/instances/" + id).then().statusCode(202);
        member.await("/v1/instances/" + id, BOOT, x -> "DELETED".equals(x.path("status")));
        String chain = "in_p_";
        assertTrue(within(10_000, () -> namespaces.stream().noneMatch(ns -> run("ip", "netns", "exec", ns, "nft",
                "list", "ruleset").contains(ips.get("c2") + " jump"))) >= 0, "no rule for the gone port");
        assertTrue(namespaces.stream().anyMatch(ns -> run("ip", "netns", "exec", ns, "nft", "list", "ruleset")
                .contains(chain)), "the others' rules stay");
    }

    @Test
    @Order(5)
    void aRouterJoinsTwoSubnetsAndTrafficPassesBetweenThem() {
        external = admin.create("/v1/networks", Map.of("name", "ext", "external", true), 201);
        admin.post("/v1/networks/" + external + "/subnets", Map.of("cidr", "172.29.0.0/24")).then().statusCode(201);
        member.post("/v1/ports", Map.of("network", external)).then().statusCode(400);
        String netC = member.create("/v1/networks", Map.of("name", "c"), 201);
        String subnetC = member.post("/v1/networks/" + netC + "/subnets", Map.of("cidr", "10.82.0.0/24"))
                .then().statusCode(201).extract().path("id");
        String subnetA = member.get("/v1/networks/" + netA).path("subnets[0].id");
        launch("c5", Map.of("network", netC));
        Response r5 = member.await("/v1/instances/" + ids.get("c5"), BOOT, x -> !"BUILDING".equals(x.path("status")));
        assertEquals("ACTIVE", r5.path("status"), r5.asString());
        ips.put("c5", r5.path("addresses[0].ip"));
        assertFalse(ping("c1", ips.get("c5")), "no router yet: no route between the subnets");

        long t0 = System.nanoTime();
        router = member.create("/v1/routers", Map.of("name", "edge", "external_network_id", external), 201);
        member.post("/v1/routers/" + router + "/interfaces", Map.of("subnet_id", subnetA)).then().statusCode(200);
        member.post("/v1/routers/" + router + "/interfaces", Map.of("subnet_id", subnetC)).then().statusCode(200);
        long apiMs = (System.nanoTime() - t0) / 1_000_000;
        member.post("/v1/routers/" + router + "/interfaces", Map.of("subnet_id", subnetC)).then().statusCode(200);
        member.delete("/v1/routers/" + router).then().statusCode(409);
        long routed = within(15_000, () -> ping("c1", ips.get("c5")));
        System.out.printf("[nt-e2e] router + 2 interfaces (%d ms of API calls) → c1 pings c5 across subnets: %d ms"
                + " after the last call%n", apiMs, routed);
        assertTrue(routed >= 0, "the router joins the subnets");
        assertTrue(ping("c5", ips.get("c1")));
        assertFalse(ping("c3", ips.get("c5")), "network b (same CIDR as a) is not joined to the router");
    }

    @Test
    @Order(6)
    void aFloatingIpReachesItsGuestFromTheExternalNetworkAndStopsWhenDisassociated() {
        assumeTrue(router != null, "needs the router of the previous test");
        // the outside world: a namespace on the external network's bridge of the router node, as its gateway
        long vni = ((Number) admin.get("/v1/networks/" + external).path("vni")).longValue();
        String outside = netns("nto");
        sh("ip", "-n", routerNode, "link", "add", "nt-o" + tag, "type", "veth", "peer", "name", "eth0", "netns",
                outside);
        sh("ip", "-n", routerNode, "link", "set", "nt-o" + tag, "master", "vn-br-" + vni, "up");
        sh("ip", "-n", outside, "link", "set", "eth0", "up");
        sh("ip", "-n", outside, "addr", "add", "172.29.0.1/24", "dev", "eth0");
        // default allows members only: let ping and TCP 80 in from anywhere
        String defaultGroup = ((List<Map<String, Object>>) member.get("/v1/security-groups").path("items")).stream()
                .filter(g -> "default".equals(g.get("name"))).map(g -> (String) g.get("id")).findFirst().orElseThrow();
        member.post("/v1/security-groups/" + defaultGroup + "/rules", Map.of("direction", "ingress", "protocol",
                "icmp", "remote_ip_prefix", "0.0.0.0/0")).then().statusCode(201);
        member.post("/v1/security-groups/" + defaultGroup + "/rules", Map.of("direction", "ingress", "protocol",
                "tcp", "port_range_min", 80, "port_range_max", 80)).then().statusCode(201);
        assertTrue(within(10_000, () -> ping("c1", "172.29.0.1")) >= 0,
                "c1 reaches the outside by SNAT");

        String port = member.get("/v1/ports?device_id=" + ids.get("c1")).path("items[0].id");
        Response created = member.post("/v1/floating-ips", Map.of("floating_network_id", external));
        created.then().statusCode(201);
        String fip = created.path("id");
        String address = created.path("floating_ip_address");
        String etag = created.header("ETag");
        assertEquals("DOWN", created.path("status"));
        assertFalse(outsidePing(outside, address), "not associated yet");

        long t0 = System.nanoTime();
        Response assoc = patch("/v1/floating-ips/" + fip, etag, Map.of("port_id", port));
        assoc.then().statusCode(200);
        assertEquals(ips.get("c1"), assoc.path("fixed_ip_address"));
        long reached = within(15_000, () -> outsidePing(outside, address));
        System.out.printf("[nt-e2e] floating IP associated (PATCH 200) → outside pings it: %d ms (%d ms from the"
                + " PATCH)%n", reached, (System.nanoTime() - t0) / 1_000_000);
        assertTrue(reached >= 0, "the floating IP reaches c1 from the external network");
        serve("c1", 80);
        assertTrue(within(10_000, () -> run("ip", "netns", "exec", outside, "busybox", "nc", "-w", "1", address,
                "80").contains("ok")) >= 0, "TCP 80 through the floating IP");
        assertFalse(outsidePing(outside, ips.get("c1")), "the fixed address is not reachable from outside");

        patch("/v1/floating-ips/" + fip, etag, Map.of("port_id", port)).then().statusCode(412);
        member.delete("/v1/routers/" + router + "/interfaces/" + assoc.path("router_id")).then().statusCode(404);
        String subnetA = member.get("/v1/networks/" + netA).path("subnets[0].id");
        member.delete("/v1/routers/" + router + "/interfaces/" + subnetA).then().statusCode(409);
        t0 = System.nanoTime();
        patch("/v1/floating-ips/" + fip, assoc.header("ETag"), java.util.Collections.singletonMap("port_id",
                null)).then().statusCode(200);
        long stopped = within(10_000, () -> !outsidePing(outside, address));
        System.out.printf("[nt-e2e] disassociated → first unanswered ping ended %d ms later%n", stopped);
        assertTrue(stopped >= 0, "a disassociated floating IP stops answering");
        member.delete("/v1/floating-ips/" + fip).then().statusCode(204);

        // everything goes: interfaces, router, its namespace on the router node
        for (String sid : (List<String>) member.get("/v1/routers/" + router).path("subnet_ids")) {
            member.delete("/v1/routers/" + router + "/interfaces/" + sid).then().statusCode(200);
        }
        member.delete("/v1/routers/" + router).then().statusCode(204);
        assertTrue(within(10_000, () -> !run("ip", "netns", "list").contains("vrt-" + router)) >= 0,
                "the router's namespace is removed");
    }

    private Response patch(String path, String ifMatch, Object body) {
        return member.request().contentType(io.restassured.http.ContentType.JSON).header("If-Match", ifMatch)
                .body(body).patch(path);
    }

    private boolean outsidePing(String outside, String ip) {
        return run("ip", "netns", "exec", outside, "busybox", "ping", "-c", "1", "-W", "1", ip)
                .contains(" 0% packet loss");
    }

    private void launch(String name, Map<String, Object> nic) {
        ids.put(name, member.create("/v1/instances", Map.of("name", name, "flavor", "ct.net",
                "image", images.get("virga-busybox-ct"), "networks", List.of(nic)), 202));
    }

    private boolean ping(String from, String ip) {
        return run("ip", "netns", "exec", "virga-" + ids.get(from), "busybox", "ping", "-c", "1", "-W", "1", ip)
                .contains(" 0% packet loss");
    }

    private boolean tcp(String from, String ip, int port) {
        return run("ip", "netns", "exec", "virga-" + ids.get(from), "busybox", "nc", "-w", "1", ip,
                String.valueOf(port)).contains("ok");
    }

    /** A TCP server in the guest's network namespace answering "ok". */
    private void serve(String guest, int port) {
        try {
            servers.add(new ProcessBuilder("ip", "netns", "exec", "virga-" + ids.get(guest), "busybox", "nc", "-ll",
                    "-p", String.valueOf(port), "-e", "/bin/echo", "ok").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long within(long millis, BooleanSupplier condition) {
        long start = System.nanoTime();
        do {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Api.sleep(20);
        } while ((System.nanoTime() - start) / 1_000_000 < millis);
        return -1;
    }

    private String netns(String shortName) {
        String name = "vn-" + shortName + tag;
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    private static void sh(String... argv) {
        Process p = start(argv);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... argv) {
        Process p = start(argv);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process start(String... argv) {
        try {
            return new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path buildGuestImages() throws Exception {
        return GuestImages.build();
    }

    private void registerImages(Path dir) throws Exception {
        images.putAll(GuestImages.register(cloud, dir));
        assertTrue(images.containsKey("virga-busybox-ct"), "registered " + images);
    }
}

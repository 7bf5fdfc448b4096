package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.virga.devstack.NodeMix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real guests through the public API on a running cloud: two {@code qemu} nodes (TCG here) and two
 * {@code runc} nodes, the project's own guest images registered as `./virga up` does. VMs boot in each
 * virtualization mode and prove their device model from inside (the guest's ready line names its NIC
 * and disk drivers, read back through the console-log API); containers run on runc nodes in system and
 * app mode; user data takes effect; instance actions run on real guests (pause, suspend, snapshot and a
 * VM booted from it, reboot, rebuild, a VM live-migrated and one migrated cold and reverted between the
 * qemu nodes, a container migrated cold between the runc nodes); a QEMU process killed behind the
 * node's back is reported; a compute node SIGKILLed and restarted adopts its running VM without
 * restarting it.
 *
 * <p>The guests are created together so that they boot in parallel; every wait is on a condition with a
 * budget of minutes (TCG on a busy 2-core machine is slow).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealGuestsIT {
    private static final Duration BOOT = Duration.ofMinutes(8);
    /** The cloud's nodes by driver: {@code qemu:2,runc:2} names them host-1 … host-4 in that order. */
    private static final java.util.Set<String> QEMU_HOSTS = java.util.Set.of("host-1", "host-2");
    private static final java.util.Set<String> RUNC_HOSTS = java.util.Set.of("host-3", "host-4");
    /** An app container's command: prints, shows its cgroup limits, runs a while, then exits (appended). */
    private static final String APP_SCRIPT = "echo VIRGA-APP-START; "
            + "echo VIRGA-APP-MEM $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max); "
            + "echo VIRGA-APP-CPU $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max); "
            + "sleep 4; echo VIRGA-APP-DONE; ";
    private static final Pattern READY = Pattern.compile("VIRGA-READY instance=(\\S+) ip=(\\S+) nic=(\\S+) disk=(\\S+)");

    private Cloud cloud;
    private Api admin;
    private Api member;
    private String network;
    private String gateway;
    private final Map<String, String> images = new HashMap<>();
    /** instance id by scenario: full, para, hybrid, container. */
    private final Map<String, String> guests = new HashMap<>();

    @BeforeAll
    void startCloudAndBootGuests() throws Exception {
        assumeTrue(NodeMix.onPath("qemu-system-x86_64") && NodeMix.onPath("runc"),
                "real guests need qemu-system-x86 and runc (scripts/setup.sh installs them; CI does)");
        Path imageDir = buildGuestImages();
        cloud = Cloud.start(NodeMix.parse("qemu:2,runc:2"), Map.of("virga.compute.power-sync-interval", "2s"));
        admin = cloud.admin();
        registerImages(imageDir);
        for (String mode : List.of("full", "para", "hybrid")) {
            admin.post("/v1/flavors", Map.of("name", "vm." + mode, "vcpus", 1, "ram_mb", 192, "disk_gb", 1,
                    "kind", "vm", "virt_mode", mode)).then().statusCode(201);
        }
        admin.post("/v1/flavors", Map.of("name", "ct.small", "vcpus", 1, "ram_mb", 128, "disk_gb", 1,
                "kind", "container")).then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "guests", "shared", true), 201);
        // a /26, not the /24 a driver would assume: the guests must get the subnet's own prefix and gateway
        gateway = admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "guests-v4", "cidr", "10.77.0.0/26"))
                .then().statusCode(201).extract().path("gateway_ip");
        member = cloud.newProjectMember("real");
        registerAppImage("virga-app-ok", imageDir, APP_SCRIPT + "exit 0");
        registerAppImage("virga-app-fails", imageDir, APP_SCRIPT + "exit 3");

        String script = "#!/bin/sh\necho VIRGA-E2E-USERDATA-OK $(cat /proc/cmdline | wc -c)\n"
                + "echo VIRGA-E2E-NET $(ip -4 -o addr show dev eth0) / $(ip route | grep default)\n";
        guests.put("full", create("vm-full", "vm.full", "virga-busybox", null));
        guests.put("para", create("vm-para", "vm.para", "virga-busybox", script));
        guests.put("hybrid", create("vm-hybrid", "vm.hybrid", "virga-busybox", null));
        guests.put("container", create("ct-1", "ct.small", "virga-busybox-ct", null));
        guests.put("app-ok", create("app-ok", "ct.small", "virga-app-ok", null));
        guests.put("app-fails", create("app-fails", "ct.small", "virga-app-fails", null));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    @Order(1)
    void vmsBootInEachVirtModeWithTheDeviceModelOfThatMode() {
        Map<String, String[]> expected = Map.of(
                "full", new String[] {"e1000", "ahci"},
                "para", new String[] {"virtio_net", "virtio_blk"},
                "hybrid", new String[] {"virtio_net", "virtio_blk"});
        for (var e : expected.entrySet()) {
            String id = guests.get(e.getKey());
            Response active = awaitActive(id);
            assertTrue(QEMU_HOSTS.contains(active.path("host_name")), e.getKey() + " runs on a qemu node");
            Matcher ready = awaitConsole(id, READY);
            assertEquals(id, ready.group(1));
            assertEquals(e.getValue()[0], ready.group(3), e.getKey() + ": NIC driver seen inside the guest");
            assertEquals(e.getValue()[1], ready.group(4), e.getKey() + ": disk driver seen inside the guest");
            String ip = active.path("addresses[0].ip");
            assertEquals(ip, ready.group(2), "the guest configured the address the control plane gave it");
        }
    }

    @Test
    @Order(2)
    void userDataRunsInsideTheGuest() {
        awaitConsole(guests.get("para"), Pattern.compile("VIRGA-E2E-USERDATA-OK"));
    }

    @Test
    @Order(3)
    void aContainerRunsOnTheRuncNode() {
        String id = guests.get("container");
        Response active = awaitActive(id);
        assertTrue(RUNC_HOSTS.contains(active.path("host_name")), "a container lands on a runc node, never a qemu one");
        awaitConsole(id, Pattern.compile("VIRGA-READY instance=" + Pattern.quote(id)));
    }

    @Test
    @Order(3)
    void theGuestsGetTheirSubnetsPrefixAndGateway() {
        String ip = awaitActive(guests.get("para")).path("addresses[0].ip");
        Matcher net = awaitConsole(guests.get("para"), Pattern.compile("VIRGA-E2E-NET (.*)"));
        assertTrue(net.group(1).contains("inet " + ip + "/26"), "the /26 of the subnet: " + net.group(1));
        assertTrue(net.group(1).contains("default via " + gateway), "a default route via " + gateway + ": " + net.group(1));
    }

    @Test
    @Order(3)
    void anAppContainerRunsItsCommandWithTheFlavorsLimitsAndStopsWhenItExits() {
        String id = guests.get("app-ok");
        // BUILDING → ACTIVE while the app runs → STOPPED once it has exited 0 (seen by the power sync)
        Response stopped = awaitEnded(id);
        assertEquals("STOPPED", stopped.path("status"), "an app that exits 0 leaves a STOPPED instance: " + stopped.asString());
        assertTrue(RUNC_HOSTS.contains(stopped.path("host_name")), "an app container runs on a runc node");
        Matcher mem = awaitLog(logOf(id), id, Pattern.compile("VIRGA-APP-MEM (\\S+)"));
        assertEquals(String.valueOf(128L * 1024 * 1024), mem.group(1), "the flavor's 128 MB, inside the container");
        Matcher cpu = awaitLog(logOf(id), id, Pattern.compile("VIRGA-APP-CPU (\\S+)( \\S+)?"));
        assertTrue(cpu.group(0).contains("100000"), "1 vCPU = a quota of 100 ms per 100 ms: " + cpu.group(0));
        awaitLog(logOf(id), id, Pattern.compile("VIRGA-APP-DONE"));
    }

    @Test
    @Order(3)
    void anAppContainerThatExitsWithAnErrorIsInErrorWithItsExitCode() {
        String id = guests.get("app-fails");
        Response failed = awaitEnded(id);
        assertEquals("ERROR", failed.path("status"), failed.asString());
        String fault = failed.path("fault.message");
        assertTrue(fault.contains("exited with code 3"), "the fault names the exit code: " + fault);
        awaitLog(logOf(id), id, Pattern.compile("VIRGA-APP-DONE"));
    }

    private static String logOf(String id) {
        return "/v1/instances/" + id + "/console-log";
    }

    /** Waits until an app container's instance has left BUILDING and ACTIVE (its process ended). */
    private Response awaitEnded(String id) {
        return member.await("/v1/instances/" + id, BOOT,
                r -> !"BUILDING".equals(r.path("status")) && !"ACTIVE".equals(r.path("status")));
    }

    @Test
    @Order(3)
    void actionsRunOnARealVmThroughTheApiAndItsSnapshotBootsANewVm() {
        String id = guests.get("hybrid");
        awaitActive(id);
        awaitConsole(id, READY);
        act(id, "PAUSED", "action", "pause");
        act(id, "ACTIVE", "action", "unpause");
        act(id, "SUSPENDED", "action", "suspend");
        act(id, "ACTIVE", "action", "resume");
        String snap = act(id, "ACTIVE", "action", "snapshot", "name", "vm-hybrid-snap").path("result.image_id");
        member.get("/v1/images/" + snap).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("properties.hypervisor_type", equalTo("qemu"));
        images.put("vm-hybrid-snap", snap);
        String clone = create("vm-from-snap", "vm.para", "vm-hybrid-snap", null);
        act(id, "ACTIVE", "action", "reboot", "type", "hard");
        awaitActive(clone);
        Matcher ready = awaitConsole(clone, READY);
        assertEquals(clone, ready.group(1), "the VM booted from the snapshot is the new instance");
        member.delete("/v1/instances/" + clone).then().statusCode(202);
        member.await("/v1/instances/" + clone, BOOT, r -> "DELETED".equals(r.path("status")));
    }

    @Test
    @Order(3)
    void actionsRunOnARealContainerThroughTheApiAndSuspendIsRefusedNamingTheTrait() {
        String id = guests.get("container");
        awaitActive(id);
        act(id, "PAUSED", "action", "pause");
        act(id, "ACTIVE", "action", "unpause");
        member.post("/v1/instances/" + id + "/actions", Map.of("action", "suspend")).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("COMPUTE_SUSPEND"));
        act(id, "STOPPED", "action", "stop");
        act(id, "ACTIVE", "action", "start");
        String snap = act(id, "ACTIVE", "action", "snapshot", "name", "ct-1-snap").path("result.image_id");
        member.get("/v1/images/" + snap).then().statusCode(200).body("status", equalTo("ACTIVE"));
        String host = member.get("/v1/instances/" + id).then().extract().path("host_name");
        act(id, "ACTIVE", "action", "rebuild", "image_id", snap);
        member.get("/v1/instances/" + id).then().body("image", equalTo(snap)).body("host_name", equalTo(host));
    }

    @Test
    @Order(3)
    void aContainerMigratesColdToTheOtherRuncNodeAndTheConfirmLeavesOneClaim() {
        String id = create("ct-moving", "ct.small", "virga-busybox-ct", null);
        guests.put("moving", id);
        String source = awaitActive(id).path("host_name");
        assertTrue(RUNC_HOSTS.contains(source));
        act(id, "VERIFY_RESIZE", "action", "migrate");
        String dest = member.get("/v1/instances/" + id).then().extract().path("host_name");
        assertNotEquals(source, dest, "the container moved");
        assertTrue(RUNC_HOSTS.contains(dest), "to the other runc node");
        act(id, "ACTIVE", "action", "confirm-resize");
        assertEquals(1, cloud.claimsOf(id), "one claim once the move is confirmed");
        awaitConsole(id, Pattern.compile("VIRGA-READY instance=" + Pattern.quote(id)));
    }

    @Test
    @Order(3)
    void aRealVmLiveMigratesToTheOtherQemuNodeAndKeepsRunning() throws Exception {
        String id = create("vm-live", "vm.para", "virga-busybox", null);
        guests.put("live", id);
        String source = awaitActive(id).path("host_name");
        awaitConsole(id, READY);
        long before = qemuPid(id).orElseThrow(() -> new AssertionError("no QEMU process for " + id));
        act(id, "ACTIVE", "action", "live-migrate");
        String dest = member.get("/v1/instances/" + id).then().extract().path("host_name");
        assertNotEquals(source, dest, "the VM moved");
        assertTrue(QEMU_HOSTS.contains(dest), "to the other qemu node");
        assertEquals(1, cloud.claimsOf(id), "one claim after the live migration");
        // the source QEMU quits once the destination runs the guest
        ProcessHandle.of(before).ifPresent(p -> {
            try {
                p.onExit().get(BOOT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the source QEMU " + before + " did not exit within " + BOOT, e);
            }
        });
        long after = qemuPid(id).orElseThrow(() -> new AssertionError("no QEMU process for " + id + " after the move"));
        assertNotEquals(before, after, "the guest runs in the destination's QEMU");
        member.get("/v1/instances/" + id).then().body("status", equalTo("ACTIVE"));
    }

    @Test
    @Order(3)
    void aRealVmMigratesColdToTheOtherQemuNodeAndRevertsWithOneClaim() {
        String id = create("vm-cold", "vm.full", "virga-busybox", null);
        guests.put("cold", id);
        String source = awaitActive(id).path("host_name");
        act(id, "VERIFY_RESIZE", "action", "migrate");
        String dest = member.get("/v1/instances/" + id).then().extract().path("host_name");
        assertNotEquals(source, dest, "the VM moved");
        act(id, "ACTIVE", "action", "revert-resize");
        member.get("/v1/instances/" + id).then().body("host_name", equalTo(source));
        assertEquals(1, cloud.claimsOf(id), "one claim after the revert");
    }

    @Test
    @Order(4)
    void aComputeNodeKilledAndRestartedAdoptsItsRunningVmWithoutRestartingIt() throws Exception {
        String id = guests.get("para");
        awaitActive(id);
        long pid = qemuPid(id).orElseThrow(() -> new AssertionError("no QEMU process for " + id));
        String node = member.get("/v1/instances/" + id).then().extract().path("host_name");
        cloud.kill(node);
        cloud.restart(node);
        cloud.awaitHosts(4);
        // the node re-reports its guests at start; the VM is the same process and stays ACTIVE
        member.get("/v1/instances/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertEquals(Optional.of(pid), qemuPid(id), "the VM was adopted, not restarted");
    }

    @Test
    @Order(5)
    void aQemuProcessKilledBehindTheNodesBackIsReported() throws Exception {
        String id = guests.get("full");
        awaitActive(id);
        long pid = qemuPid(id).orElseThrow(() -> new AssertionError("no QEMU process for " + id));
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        Response after = member.await("/v1/instances/" + id, BOOT, r -> !"ACTIVE".equals(r.path("status")));
        String status = after.path("status");
        assertTrue(status.equals("ERROR") || status.equals("STOPPED"), "reported as " + status + ": " + after.asString());
    }

    @Test
    @Order(6)
    void deletingRealGuestsRemovesTheirProcesses() throws Exception {
        for (String id : guests.values()) {
            member.delete("/v1/instances/" + id).then().statusCode(202);
        }
        for (String id : guests.values()) {
            member.await("/v1/instances/" + id, BOOT, r -> "DELETED".equals(r.path("status")));
            assertEquals(Optional.empty(), qemuPid(id), "no QEMU process is left for " + id);
        }
    }

    /** Runs an action: 202, its operation SUCCEEDED, the instance settled in {@code status} with no task. */
    private Response act(String id, String status, Object... kv) {
        Map<String, Object> body = new HashMap<>();
        for (int n = 0; n < kv.length; n += 2) {
            body.put((String) kv[n], kv[n + 1]);
        }
        Response accepted = member.post("/v1/instances/" + id + "/actions", body);
        accepted.then().statusCode(202);
        Response op = member.await(accepted.header("Location"), BOOT, r -> !"RUNNING".equals(r.path("status")));
        assertEquals("SUCCEEDED", op.path("status"), "the operation: " + op.asString());
        member.await("/v1/instances/" + id, BOOT, r -> status.equals(r.path("status")) && r.path("task") == null);
        return op;
    }

    private String create(String name, String flavor, String image, String userData) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "flavor", flavor, "image", images.get(image),
                "networks", List.of(Map.of("network", network))));
        if (userData != null) {
            body.put("user_data", Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        return member.create("/v1/instances", body, 202);
    }

    private Response awaitActive(String id) {
        Response r = member.await("/v1/instances/" + id, BOOT, x -> !"BUILDING".equals(x.path("status")));
        r.then().body("status", equalTo("ACTIVE"));
        return r;
    }

    /** Waits until the instance's serial console log (read through the API) matches {@code pattern}. */
    private Matcher awaitConsole(String id, Pattern pattern) {
        String url = member.post("/v1/instances/" + id + "/console", Map.of("type", "serial"))
                .then().statusCode(200).body("type", equalTo("serial")).extract().path("url");
        return awaitLog(url, id, pattern);
    }

    /** Waits until the console log at {@code url} (read through the API) matches {@code pattern}. */
    private Matcher awaitLog(String url, String id, Pattern pattern) {
        // the log is text/plain (Api.await asks for JSON), so poll it here, by time
        long deadline = System.nanoTime() + BOOT.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            Response r = member.request().accept("text/plain").get(url);
            if (r.statusCode() == 200) {
                log = r.asString();
                if (pattern.matcher(log).find()) {
                    break;
                }
            }
            Api.sleep(500);
        }
        Matcher m = pattern.matcher(log);
        assertTrue(m.find(), "the console of " + id + " never showed " + pattern + " within " + BOOT + "; it ends: "
                + log.substring(Math.max(0, log.length() - 600)));
        return m;
    }

    /** The pid of the QEMU process running instance {@code id} (its command line names it), if any. */
    private static Optional<Long> qemuPid(String id) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    return cmd.startsWith("qemu-system") || cmd.contains("/qemu-system") ? cmd.contains(id) : false;
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).findFirst();
        }
    }

    private static Path buildGuestImages() throws Exception {
        return GuestConsole.buildGuestImages();
    }

    /** An app-mode container image: the busybox root filesystem whose {@code container_command} is {@code command}. */
    private void registerAppImage(String name, Path dir, String command) {
        String id = admin.create("/v1/images", Map.of("name", name, "disk_format", "oci", "visibility", "public",
                "properties", Map.of("kind", "container", "hypervisor_type", "runc", "container_mode", "app",
                        "container_command", command)), 201);
        admin.request().contentType("application/octet-stream").body(dir.resolve("rootfs.tar").toFile())
                .put("/v1/images/" + id + "/data").then().statusCode(org.hamcrest.Matchers.lessThan(300));
        images.put(name, id);
    }

    private void registerImages(Path dir) throws Exception {
        images.putAll(GuestConsole.registerImages(cloud, dir));
    }
}

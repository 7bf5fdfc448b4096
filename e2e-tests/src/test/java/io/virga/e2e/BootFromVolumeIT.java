package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.virga.devstack.NodeMix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Instances booting from volumes through the public API, on a cloud with one {@code qemu} node (TCG):
 * a guest boots from a new volume made from its image ({@code boot_volume.size_gb}) and writes a marker
 * onto its root disk; the instance is deleted, the volume (not delete_on_termination) stays and a second
 * guest boots from it ({@code boot_volume.volume_id}) with a blank volume attached at boot, and reads the
 * marker the first one wrote; bad requests are 4xx and change nothing; delete_on_termination takes the
 * volume with its instance; a create that cannot be scheduled compensates: the volume it made is
 * deleted and the volume it was given is detached; storage-svc killed right after an attach was accepted
 * ends with the volume attached or not, never in between. Times are printed ({@code BFV-FIGURE …}).
 *
 * <p>The guest image's init mounts its first disk ({@code vda}) on {@code /data} and prints
 * {@code VIRGA-DISK dev=vda image=…} and each {@code /data/virga/marker*} file; the user data below
 * writes a marker and reports the size of {@code vdb}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BootFromVolumeIT {
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration OP = Duration.ofMinutes(4);
    private static final String SCRIPT = String.join("\n",
            "#!/bin/sh",
            "if [ -b /dev/vdb ]; then echo \"VIRGA-BFV vdb sectors=$(cat /sys/block/vdb/size)\"; else echo VIRGA-BFV vdb none; fi",
            "if [ ! -e /data/virga/marker-bfv ]; then",
            "  echo \"written-by-$(hostname)\" > /data/virga/marker-bfv && sync && echo VIRGA-BFV-WRITTEN",
            "fi", "");

    private Cloud cloud;
    private Api admin;
    private Api member;
    private String network;
    private Map<String, String> images;
    private String first;
    private String bootVolume;
    private String second;
    private String dataVolume;
    private final Map<String, Long> figures = new HashMap<>();

    @BeforeAll
    void startCloud() throws Exception {
        assumeTrue(NodeMix.onPath("qemu-system-x86_64") && NodeMix.onPath("qemu-img"),
                "booting from volumes needs qemu-system-x86 and qemu-img");
        Path imageDir = GuestImages.build();
        cloud = Cloud.start(NodeMix.parse("qemu:1"), Map.of());
        admin = cloud.admin();
        images = GuestImages.register(cloud, imageDir);
        assertTrue(images.containsKey("virga-busybox"), "registered " + images);
        admin.post("/v1/flavors", Map.of("name", "vm.para", "vcpus", 1, "ram_mb", 192, "disk_gb", 1,
                "kind", "vm", "virt_mode", "para")).then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "vm.huge", "vcpus", 1, "ram_mb", 4_000_000, "disk_gb", 1,
                "kind", "vm", "virt_mode", "para")).then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "guests", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "guests-v4", "cidr", "10.79.0.0/26"))
                .then().statusCode(201);
        member = cloud.newProjectMember("bfv");
    }

    @AfterAll
    void stopCloud() {
        figures.forEach((k, v) -> System.out.println("BFV-FIGURE " + k + " " + v + " ms"));
        if (cloud != null) {
            cloud.close();
        }
    }

    private Map<String, Object> body(String name, String flavor, Map<String, Object> extra) {
        Map<String, Object> b = new HashMap<>(Map.of("name", name, "flavor", flavor, "image",
                images.get("virga-busybox"), "networks", List.of(Map.of("network", network)), "user_data",
                Base64.getEncoder().encodeToString(SCRIPT.getBytes(StandardCharsets.UTF_8))));
        b.putAll(extra);
        return b;
    }

    private Response awaitInstance(String id) {
        return member.await("/v1/instances/" + id, BOOT, x -> !"BUILDING".equals(x.path("status")));
    }

    private void awaitConsole(String id, String regex) {
        GuestConsole.awaitLog(member, GuestConsole.serialUrl(member, id), id, Pattern.compile(regex), 1, BOOT);
    }

    private Response volume(String id) {
        return member.get("/v1/volumes/" + id);
    }

    private void awaitVolume(String id, String status) {
        Response r = member.await("/v1/volumes/" + id, OP, x -> status.equals(x.path("status"))
                || "ERROR".equals(x.path("status")));
        assertEquals(status, r.path("status"), r.asString());
    }

    private void deleteInstance(String id) {
        assertEquals(202, member.delete("/v1/instances/" + id).statusCode());
        member.await("/v1/instances/" + id, BOOT, r -> "DELETED".equals(r.path("status")) || r.statusCode() == 404);
    }

    /** The id of the project's volume called {@code name}. */
    private String volumeNamed(String name) {
        List<Map<String, Object>> items = member.get("/v1/volumes?limit=500").path("items");
        return items.stream().filter(v -> name.equals(v.get("name"))).map(v -> (String) v.get("id")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in " + items));
    }

    @Test
    @Order(1)
    void aGuestBootsFromANewVolumeMadeFromItsImageAndWritesOnIt() {
        long t0 = System.nanoTime();
        first = member.create("/v1/instances", body("bfv-first", "vm.para",
                Map.of("boot_volume", Map.of("size_gb", 1, "delete_on_termination", false))), 202);
        Response r = awaitInstance(first);
        assertEquals("ACTIVE", r.path("status"), r.asString());
        figures.put("create-from-new-volume-until-ACTIVE", (System.nanoTime() - t0) / 1_000_000);
        awaitConsole(first, "VIRGA-DISK dev=vda image=");
        awaitConsole(first, "VIRGA-BFV-WRITTEN");
        figures.put("create-from-new-volume-until-marker-written", (System.nanoTime() - t0) / 1_000_000);
        bootVolume = volumeNamed("bfv-first-boot");
        Response v = volume(bootVolume);
        assertEquals("IN_USE", v.path("status"), v.asString());
        assertEquals(List.of(first), v.path("attachments"));
        assertEquals(images.get("virga-busybox"), v.path("image_id"));
    }

    @Test
    @Order(2)
    void theVolumeOutlivesItsInstanceAndASecondGuestBootsFromItWithAVolumeAttachedAtBoot() {
        deleteInstance(first);
        awaitVolume(bootVolume, "AVAILABLE");
        dataVolume = member.create("/v1/volumes", Map.of("name", "bfv-data", "size_gb", 2), 202);
        awaitVolume(dataVolume, "AVAILABLE");

        long t0 = System.nanoTime();
        second = member.create("/v1/instances", body("bfv-second", "vm.para",
                Map.of("boot_volume", Map.of("volume_id", bootVolume), "volumes", List.of(dataVolume))), 202);
        Response r = awaitInstance(second);
        assertEquals("ACTIVE", r.path("status"), r.asString());
        figures.put("create-from-existing-volume-until-ACTIVE", (System.nanoTime() - t0) / 1_000_000);
        awaitConsole(second, "VIRGA-DISK-MARKER marker-bfv written-by-" + Pattern.quote(first));
        awaitConsole(second, "VIRGA-BFV vdb sectors=4194304");
        assertEquals(List.of(second), volume(bootVolume).path("attachments"));
        assertEquals(List.of(second), volume(dataVolume).path("attachments"));
        assertEquals("IN_USE", volume(dataVolume).path("status"));
    }

    @Test
    @Order(3)
    void badBlockDevicesAreClear4xxAndChangeNothing() {
        int instances = ((List<?>) member.get("/v1/instances?limit=500").path("items")).size();
        int volumes = ((List<?>) member.get("/v1/volumes?limit=500").path("items")).size();
        Response inUse = member.post("/v1/instances", body("bad", "vm.para", Map.of("boot_volume",
                Map.of("volume_id", bootVolume))));
        assertEquals(409, inUse.statusCode(), inUse.asString());
        assertEquals(409, member.post("/v1/instances", body("bad", "vm.para", Map.of("volumes",
                List.of(dataVolume)))).statusCode(), "a volume attached to another instance");
        Response unknown = member.post("/v1/instances", body("bad", "vm.para", Map.of("boot_volume",
                Map.of("volume_id", "v-000000000000"))));
        assertEquals(404, unknown.statusCode(), unknown.asString());
        Api stranger = cloud.newProjectMember("bfv-stranger");
        String theirs = stranger.create("/v1/volumes", Map.of("name", "theirs", "size_gb", 1), 202);
        assertEquals(404, member.post("/v1/instances", body("bad", "vm.para", Map.of("volumes", List.of(theirs))))
                .statusCode(), "another project's volume");
        Response zero = member.post("/v1/instances", body("bad", "vm.para", Map.of("boot_volume",
                Map.of("size_gb", 0))));
        assertEquals(400, zero.statusCode(), zero.asString());
        assertEquals("boot_volume.size_gb", zero.path("errors[0].field"));
        assertEquals(400, member.post("/v1/instances", body("bad", "vm.para", Map.of("boot_volume",
                Map.of("volume_id", bootVolume, "delete_on_termination", true)))).statusCode());
        assertEquals(instances, ((List<?>) member.get("/v1/instances?limit=500").path("items")).size());
        assertEquals(volumes, ((List<?>) member.get("/v1/volumes?limit=500").path("items")).size());
    }

    @Test
    @Order(4)
    void storageKilledInTheMiddleOfAnAttachEndsClean() {
        String vol = member.create("/v1/volumes", Map.of("name", "bfv-crash", "size_gb", 1), 202);
        awaitVolume(vol, "AVAILABLE");
        long t0 = System.nanoTime();
        Response accepted = member.post("/v1/instances/" + second + "/volume-attachments", Map.of("volume_id", vol));
        assertEquals(202, accepted.statusCode(), accepted.asString());
        cloud.kill("storage-svc");
        cloud.restart("storage-svc");
        Response op = member.await(accepted.header("Location"), OP, x -> !"RUNNING".equals(x.path("status")));
        figures.put("attach-across-a-storage-crash", (System.nanoTime() - t0) / 1_000_000);
        Response v = member.await("/v1/volumes/" + vol, OP, x -> "IN_USE".equals(x.path("status"))
                || "AVAILABLE".equals(x.path("status")));
        if ("SUCCEEDED".equals(op.path("status"))) {
            assertEquals("IN_USE", v.path("status"), v.asString());
            assertEquals(List.of(second), v.path("attachments"));
            Response detached = member.delete("/v1/instances/" + second + "/volume-attachments/" + vol);
            assertEquals(202, detached.statusCode(), detached.asString());
            member.await(detached.header("Location"), OP, x -> !"RUNNING".equals(x.path("status")));
        } else {
            assertEquals("AVAILABLE", v.path("status"), "a failed attach rolls back: " + op.asString() + v.asString());
        }
        awaitVolume(vol, "AVAILABLE");
        assertEquals(List.of(), volume(vol).path("attachments"));
        assertEquals(204, member.delete("/v1/volumes/" + vol).statusCode());
    }

    @Test
    @Order(5)
    void deleteOnTerminationTakesTheVolumeWithItsInstanceAndOthersAreDetached() {
        String third = member.create("/v1/instances", body("bfv-third", "vm.para",
                Map.of("boot_volume", Map.of("size_gb", 1, "delete_on_termination", true))), 202);
        Response r = awaitInstance(third);
        assertEquals("ACTIVE", r.path("status"), r.asString());
        String made = volumeNamed("bfv-third-boot");
        deleteInstance(third);
        member.await("/v1/volumes/" + made, OP, x -> x.statusCode() == 404);

        deleteInstance(second);
        awaitVolume(bootVolume, "AVAILABLE");
        awaitVolume(dataVolume, "AVAILABLE");
    }

    @Test
    @Order(6)
    void aCreateThatCannotBeScheduledDeletesTheVolumeItMadeAndDetachesTheOneItWasGiven() {
        cloud.raiseQuota(member, Map.of("ram_mb", 10_000_000));
        String doomed = member.create("/v1/instances", body("bfv-doomed", "vm.huge",
                Map.of("boot_volume", Map.of("size_gb", 1), "volumes", List.of(dataVolume))), 202);
        Response r = awaitInstance(doomed);
        assertEquals("ERROR", r.path("status"), r.asString());
        member.await("/v1/volumes?limit=500", OP, x -> ((List<Map<String, Object>>) x.path("items")).stream()
                .noneMatch(v -> "bfv-doomed-boot".equals(v.get("name"))));
        awaitVolume(dataVolume, "AVAILABLE");
        assertEquals(List.of(), volume(dataVolume).path("attachments"));

        Response audit = admin.post("/v1/admin/storage/audit", Map.of());
        assertEquals(200, audit.statusCode(), audit.asString());
        assertEquals(List.of(), audit.path("findings"), "no orphans either way: " + audit.asString());
    }
}

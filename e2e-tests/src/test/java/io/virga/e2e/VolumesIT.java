package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.virga.devstack.NodeMix;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Block storage through the public API on a cloud with one {@code qemu} node (TCG): a qcow2 volume
 * hot-plugged into a running guest, which sees a new virtio disk and writes to it; extended while
 * attached (the guest sees the new size); detached (the guest loses it) and attached to a second guest,
 * which reads what the first one wrote; bad requests refused with nothing changed; storage-svc killed in
 * the middle of a volume build and the volume still ends AVAILABLE with no orphan data. Volume-from-image
 * and attach times are printed ({@code VOLUME-FIGURE …}).
 *
 * <p>The guests run a user-data script that prints every change of {@code /dev/vdb} on the serial
 * console ({@code VIRGA-VOL vdb sectors=N} / {@code VIRGA-VOL none}) and, when a disk appears, its first
 * bytes ({@code VIRGA-VOL-DATA [...]}), writing {@code VIRGA-WROTE-<instance>} to an empty one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesIT {
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration OP = Duration.ofMinutes(4);
    private static final String WATCH = String.join("\n",
            "#!/bin/sh",
            "last=start; n=0",
            "while [ $n -lt 5400 ]; do",
            "  if [ -b /dev/vdb ]; then s=\"vdb sectors=$(cat /sys/block/vdb/size)\"; else s=none; fi",
            "  if [ \"$s\" != \"$last\" ]; then",
            "    echo \"VIRGA-VOL $s\"",
            "    if [ \"$s\" != none ] && [ \"${last%% *}\" != vdb ]; then",
            "      d=$(dd if=/dev/vdb bs=64 count=1 2>/dev/null | tr -dc 'A-Za-z0-9-')",
            "      echo \"VIRGA-VOL-DATA [$d]\"",
            "      if [ -z \"$d\" ]; then",
            "        echo \"VIRGA-WROTE-$(hostname)\" | dd of=/dev/vdb bs=64 count=1 conv=sync,fsync 2>/dev/null",
            "        echo VIRGA-VOL-WRITTEN",
            "      fi",
            "    fi",
            "  fi",
            "  last=$s; n=$((n+1)); sleep 1",
            "done", "");

    private Cloud cloud;
    private Api admin;
    private Api member;
    private String network;
    private Map<String, String> images;
    private String guestA;
    private String guestB;
    private String volume;
    private final Map<String, Long> figures = new HashMap<>();

    @BeforeAll
    void startCloudAndBootGuests() throws Exception {
        assumeTrue(NodeMix.onPath("qemu-system-x86_64") && NodeMix.onPath("qemu-img"),
                "volumes on real guests need qemu-system-x86 and qemu-img");
        Path imageDir = GuestImages.build();
        cloud = Cloud.start(NodeMix.parse("qemu:1"), Map.of());
        admin = cloud.admin();
        images = GuestImages.register(cloud, imageDir);
        assertTrue(images.containsKey("virga-busybox"), "registered " + images);
        admin.post("/v1/flavors", Map.of("name", "vm.para", "vcpus", 1, "ram_mb", 192, "disk_gb", 1,
                "kind", "vm", "virt_mode", "para")).then().statusCode(201);
        network = admin.create("/v1/networks", Map.of("name", "guests", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "guests-v4", "cidr", "10.78.0.0/26"))
                .then().statusCode(201);
        member = cloud.newProjectMember("volumes");
        guestA = create("vol-a");
        guestB = create("vol-b");
    }

    @AfterAll
    void stopCloud() {
        figures.forEach((k, v) -> System.out.println("VOLUME-FIGURE " + k + " " + v + " ms"));
        if (cloud != null) {
            cloud.close();
        }
    }

    private String create(String name) {
        return member.create("/v1/instances", Map.of("name", name, "flavor", "vm.para", "image",
                images.get("virga-busybox"), "networks", List.of(Map.of("network", network)), "user_data",
                Base64.getEncoder().encodeToString(WATCH.getBytes(StandardCharsets.UTF_8))), 202);
    }

    private void awaitActive(String id) {
        Response r = member.await("/v1/instances/" + id, BOOT, x -> !"BUILDING".equals(x.path("status")));
        assertEquals("ACTIVE", r.path("status"), r.asString());
        GuestConsole.awaitLog(member, GuestConsole.serialUrl(member, id), id, Pattern.compile("VIRGA-VOL none"), 1, BOOT);
    }

    private void awaitConsole(String id, String regex, int times) {
        GuestConsole.awaitLog(member, GuestConsole.serialUrl(member, id), id, Pattern.compile(regex), times, OP);
    }

    private Response awaitVolume(String id, String status) {
        return member.await("/v1/volumes/" + id, OP, r -> status.equals(r.path("status"))
                || "ERROR".equals(r.path("status")));
    }

    /** POSTs / DELETEs an operation, waits for it; SUCCEEDED. Returns the elapsed ms. */
    private long succeed(Response accepted) {
        long start = System.nanoTime();
        assertEquals(202, accepted.statusCode(), accepted.asString());
        Response op = member.await(accepted.header("Location"), OP, r -> !"RUNNING".equals(r.path("status")));
        assertEquals("SUCCEEDED", op.path("status"), "the operation: " + op.asString());
        return (System.nanoTime() - start) / 1_000_000;
    }

    private Response attach(String instance, String vol) {
        return member.post("/v1/instances/" + instance + "/volume-attachments", Map.of("volume_id", vol));
    }

    @Test
    @Order(1)
    void aVolumeIsHotPluggedIntoARunningGuestWhichSeesAndWritesIt() {
        long t0 = System.nanoTime();
        Response made = member.post("/v1/volumes", Map.of("name", "data", "size_gb", 1));
        assertEquals(202, made.statusCode(), made.asString());
        volume = made.path("id");
        assertEquals("AVAILABLE", awaitVolume(volume, "AVAILABLE").path("status"));
        figures.put("blank-1GiB-volume", (System.nanoTime() - t0) / 1_000_000);

        awaitActive(guestA);
        awaitActive(guestB);
        long start = System.nanoTime();
        Response accepted = attach(guestA, volume);
        figures.put("attach-operation", succeed(accepted));
        awaitConsole(guestA, "VIRGA-VOL vdb sectors=2097152", 1);
        figures.put("attach-until-guest-sees-disk", (System.nanoTime() - start) / 1_000_000);
        awaitConsole(guestA, "VIRGA-VOL-WRITTEN", 1);
        Response v = member.get("/v1/volumes/" + volume);
        assertEquals("IN_USE", v.path("status"));
        assertEquals(List.of(guestA), v.path("attachments"));
    }

    @Test
    @Order(2)
    void badRequestsAreClear4xxAndChangeNothing() {
        assertEquals(409, attach(guestA, volume).statusCode(), "attached twice");
        assertEquals(409, attach(guestB, volume).statusCode(), "not multiattach");
        assertEquals(409, member.delete("/v1/instances/" + guestB + "/volume-attachments/" + volume).statusCode(),
                "detach what is not attached");
        assertEquals(409, member.delete("/v1/volumes/" + volume).statusCode(), "delete in-use");
        assertEquals(400, member.post("/v1/volumes", Map.of("name", "x", "size_gb", 0)).statusCode());
        assertEquals(400, member.post("/v1/volumes", Map.of("name", "x", "size_gb", -3)).statusCode());
        assertEquals(400, member.post("/v1/volumes", Map.of("name", "x", "size_gb", 1, "volume_type", "golden"))
                .statusCode());
        assertEquals(400, member.post("/v1/volumes/" + volume + "/actions", Map.of("action", "extend", "new_size", 1))
                .statusCode(), "shrink");
        Api stranger = cloud.newProjectMember("stranger");
        String theirs = stranger.create("/v1/volumes", Map.of("name", "theirs", "size_gb", 1), 202);
        assertEquals(404, stranger.post("/v1/instances/" + guestA + "/volume-attachments",
                Map.of("volume_id", theirs)).statusCode(), "another project's instance");
        assertEquals(404, attach(guestB, theirs).statusCode(), "another project's volume");
        Response v = member.get("/v1/volumes/" + volume);
        assertEquals("IN_USE", v.path("status"));
        assertEquals(1, (int) v.path("size_gb"));
    }

    @Test
    @Order(3)
    void extendWhileAttachedShowsTheNewSizeInsideTheGuest() {
        Response accepted = member.post("/v1/volumes/" + volume + "/actions", Map.of("action", "extend", "new_size", 2));
        figures.put("extend-attached-operation", succeed(accepted));
        awaitConsole(guestA, "VIRGA-VOL vdb sectors=4194304", 1);
        Response v = member.get("/v1/volumes/" + volume);
        assertEquals(2, (int) v.path("size_gb"));
        assertEquals("IN_USE", v.path("status"));
    }

    @Test
    @Order(4)
    void detachedTheGuestLosesItAndASecondGuestReadsWhatTheFirstWrote() {
        figures.put("detach-operation", succeed(member.delete("/v1/instances/" + guestA + "/volume-attachments/" + volume)));
        awaitConsole(guestA, "VIRGA-VOL none", 2);
        assertEquals("AVAILABLE", member.get("/v1/volumes/" + volume).path("status"));

        succeed(attach(guestB, volume));
        awaitConsole(guestB, "VIRGA-VOL-DATA \\[VIRGA-WROTE-" + Pattern.quote(guestA) + "\\]", 1);
        awaitConsole(guestB, "VIRGA-VOL vdb sectors=4194304", 1);
        succeed(member.delete("/v1/instances/" + guestB + "/volume-attachments/" + volume));
        assertEquals("AVAILABLE", member.get("/v1/volumes/" + volume).path("status"));
    }

    @Test
    @Order(5)
    void aVolumeFromAOneGibImageAndACrashOfStorageMidBuild() throws Exception {
        Path raw = Files.createTempFile("vs-image-", ".raw");
        try {
            try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
                f.setLength(1L << 30);
                f.seek(0);
                f.write("VIRGA-IMAGE-DATA".getBytes(StandardCharsets.US_ASCII));
            }
            String image = member.create("/v1/images", Map.of("name", "one-gib", "disk_format", "raw"), 201);
            member.request().contentType("application/octet-stream").body(raw.toFile())
                    .put("/v1/images/" + image + "/data").then().statusCode(org.hamcrest.Matchers.lessThan(300));
            long t0 = System.nanoTime();
            String fromImage = member.create("/v1/volumes", Map.of("name", "from-image", "size_gb", 1, "image_id", image), 202);
            assertEquals("AVAILABLE", awaitVolume(fromImage, "AVAILABLE").path("status"));
            figures.put("volume-from-1GiB-image", (System.nanoTime() - t0) / 1_000_000);

            // A clone copies the whole volume (qemu-img convert): kill storage-svc while it runs.
            String clone = member.create("/v1/volumes", Map.of("name", "clone", "size_gb", 1, "source_volume_id", fromImage), 202);
            cloud.kill("storage-svc");
            cloud.restart("storage-svc");
            Response done = awaitVolume(clone, "AVAILABLE");
            assertEquals("AVAILABLE", done.path("status"), done.asString());

            long t1 = System.nanoTime();
            String second = member.create("/v1/volumes", Map.of("name", "clone2", "size_gb", 1, "source_volume_id", fromImage), 202);
            assertEquals("AVAILABLE", awaitVolume(second, "AVAILABLE").path("status"));
            figures.put("clone-of-1GiB-volume", (System.nanoTime() - t1) / 1_000_000);

            succeed(attach(guestA, clone));
            awaitConsole(guestA, "VIRGA-VOL-DATA \\[VIRGA-IMAGE-DATA", 1);

            Response audit = admin.post("/v1/admin/storage/audit", Map.of());
            assertEquals(200, audit.statusCode(), audit.asString());
            assertEquals(List.of(), audit.path("findings"), "no orphans either way: " + audit.asString());
            Response capacity = admin.get("/v1/admin/storage/capacity");
            assertEquals(200, capacity.statusCode(), capacity.asString());
            System.out.println("VOLUME-CAPACITY " + capacity.asString());
        } finally {
            Files.deleteIfExists(raw);
        }
    }
}

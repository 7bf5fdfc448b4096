package io.virga.e2e;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restassured.response.Response;
import io.virga.devstack.NodeMix;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Browser consoles on a real cloud: one {@code qemu} node (TCG here) and one {@code runc} node. A VM's
 * screen reaches a WebSocket client through the gateway (ticket, gateway, gRPC stream, compute node, the
 * guest's VNC unix socket): the RFB greeting arrives; a used, an expired, a wrong-instance ticket and another
 * project's request are refused; a container has no screen (409) but its serial console. Then
 * {@code src/test/browser/console.mjs} opens the VM's console from its dashboard page in Debian's headless
 * Chromium, waits for noVNC to connect and checks that the screenshot's pixels are not blank, and shows
 * the container's serial log on its page. Screenshots: {@code target/screenshots/console-*.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration TICKET_TTL = Duration.ofSeconds(15);
    private static final Duration WS_BUDGET = Duration.ofSeconds(30);
    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(5);

    private Cloud cloud;
    private Api admin;
    private Api member;
    private Api stranger;
    private String vm;
    private String container;

    @BeforeAll
    void startCloudAndBootGuests() throws Exception {
        assumeTrue(NodeMix.onPath("qemu-system-x86_64") && NodeMix.onPath("runc"),
                "consoles need qemu-system-x86 and runc (scripts/setup.sh installs them; CI does)");
        Path imageDir = GuestImages.build();
        cloud = Cloud.start(NodeMix.parse("qemu:1,runc:1"), Map.of(),
                Map.of("api-gateway", Map.of("virga.gateway.console.ticket-ttl", "PT" + TICKET_TTL.toSeconds() + "S")));
        admin = cloud.admin();
        Map<String, String> images = GuestImages.register(cloud, imageDir);
        admin.post("/v1/flavors", Map.of("name", "vm.para", "vcpus", 1, "ram_mb", 192, "disk_gb", 1,
                "kind", "vm", "virt_mode", "para")).then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "ct.small", "vcpus", 1, "ram_mb", 128, "disk_gb", 1,
                "kind", "container")).then().statusCode(201);
        String network = admin.create("/v1/networks", Map.of("name", "guests", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "guests-v4", "cidr", "10.78.0.0/26"))
                .then().statusCode(201);
        member = cloud.newProjectMember("console");
        stranger = cloud.newProjectMember("stranger");
        vm = member.create("/v1/instances", Map.of("name", "vm-console", "flavor", "vm.para",
                "image", images.get("virga-busybox"), "networks", List.of(Map.of("network", network))), 202);
        container = member.create("/v1/instances", Map.of("name", "ct-console", "flavor", "ct.small",
                "image", images.get("virga-busybox-ct"), "networks", List.of(Map.of("network", network))), 202);
        for (String id : List.of(vm, container)) {
            member.await("/v1/instances/" + id, BOOT, r -> !"BUILDING".equals(r.path("status")))
                    .then().body("status", equalTo("ACTIVE"));
        }
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    @Order(1)
    void aVmsScreenReachesAWebSocketClientThroughTheGatewayOnceWithItsTicket() throws Exception {
        Response r = member.post("/v1/instances/" + vm + "/console", Map.of("type", "vnc"));
        r.then().statusCode(200).body("type", equalTo("vnc"))
                .body("url", startsWith("/dashboard/console.html#instance=" + vm + "&ticket="))
                .body("websocket", startsWith("/console/vnc/" + vm + "?ticket="));
        Instant expires = Instant.parse(r.path("expires_at"));
        assertTrue(expires.isAfter(Instant.now()) && expires.isBefore(Instant.now().plus(TICKET_TTL).plusSeconds(5)),
                "the ticket lives about " + TICKET_TTL + ": " + expires);
        String ws = r.path("websocket");

        Session s = Session.open(wsUri(ws));
        byte[] hello = s.awaitBytes(12);
        assertEquals("RFB 003.008\n", new String(hello, 0, 12, StandardCharsets.US_ASCII), "the guest's VNC server greets");
        s.close();

        Session again = Session.open(wsUri(ws));
        assertEquals(1008, again.awaitClose().code(), "a used ticket is refused");
        assertTrue(again.awaitClose().reason().contains("unknown or already used"), again.awaitClose().reason());
    }

    @Test
    @Order(2)
    void aTicketForOneInstanceOpensNoOtherAndIsSpentByTheAttempt() throws Exception {
        String ws = member.post("/v1/instances/" + vm + "/console", Map.of("type", "vnc"))
                .then().statusCode(200).extract().path("websocket");
        String ticket = ws.substring(ws.indexOf("?ticket="));
        Session wrong = Session.open(wsUri("/console/vnc/" + container + ticket));
        assertEquals(1008, wrong.awaitClose().code());
        assertTrue(wrong.awaitClose().reason().contains("another instance"), wrong.awaitClose().reason());
        assertEquals(1008, Session.open(wsUri(ws)).awaitClose().code(), "the ticket is spent");
        assertEquals(1008, Session.open(wsUri("/console/vnc/" + vm + "?ticket=made-up")).awaitClose().code());
        assertEquals(1008, Session.open(wsUri("/console/vnc/" + vm)).awaitClose().code(), "no ticket");
    }

    @Test
    @Order(3)
    void anExpiredTicketIsRefused() throws Exception {
        Response r = member.post("/v1/instances/" + vm + "/console", Map.of("type", "vnc"));
        Instant expires = Instant.parse(r.path("expires_at"));
        // a wait on the ticket's own clock: until its expiry has passed (the TTL is 15 s in this cloud)
        while (!Instant.now().isAfter(expires.plusMillis(500))) {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Duration.between(Instant.now(), expires).toMillis() + 600));
        }
        Session s = Session.open(wsUri(r.path("websocket")));
        assertEquals(1008, s.awaitClose().code());
        assertTrue(s.awaitClose().reason().contains("expired"), s.awaitClose().reason());
    }

    @Test
    @Order(4)
    void anotherProjectGets404AndAContainerHasOnlyASerialConsole() {
        stranger.post("/v1/instances/" + vm + "/console", Map.of("type", "vnc")).then().statusCode(404)
                .contentType(containsString("problem+json"));
        member.post("/v1/instances/" + container + "/console", Map.of("type", "vnc")).then().statusCode(409)
                .contentType(containsString("problem+json"))
                .body("detail", containsString("no graphical console"));
        member.post("/v1/instances/" + container + "/console", Map.of("type", "serial")).then().statusCode(200)
                .body("url", equalTo("/v1/instances/" + container + "/console-log"));
        member.post("/v1/instances/" + vm + "/console", Map.of("type", "rdp")).then().statusCode(400);
    }

    @Test
    @Order(5)
    void theDashboardShowsTheVmsScreenWithNoVncAndTheContainersLog() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
                "Debian's chromium is needed at /usr/bin/chromium (scripts/setup.sh installs it)");
        Path screenshots = Path.of("target/screenshots").toAbsolutePath();
        Path userData = Files.createTempDirectory("virga-chromium-");
        Path dir = DashboardIT.BrowserScripts.installed();
        Path log = dir.resolve("console-run.log");
        ProcessBuilder pb = new ProcessBuilder("node", "console.mjs").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("VIRGA_URL", cloud.gatewayUrl(), "VIRGA_TOKEN", cloud.adminToken(),
                "VIRGA_VM", vm, "VIRGA_CONTAINER", container,
                "SCREENSHOT_DIR", screenshots.toString(), "USER_DATA_DIR", userData.toString()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(BROWSER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.print(output);
        System.out.printf("e2e: console browser run took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        DashboardIT.BrowserScripts.deleteTree(userData);
        assertTrue(ended, "the browser script ended within " + BROWSER_TIMEOUT);
        assertEquals(0, p.exitValue(), "the browser script passed:\n" + output);
        assertTrue(output.contains("browser: all steps passed"), output);
        assertTrue(Files.size(screenshots.resolve("console-vm.png")) > 5_000, "a real screenshot of the VM's console");
    }

    private URI wsUri(String path) {
        return URI.create(cloud.gatewayUrl().replaceFirst("^http", "ws") + path);
    }

    /** A WebSocket client that collects what the gateway sends and how it closes. */
    private static final class Session implements WebSocket.Listener {
        record Close(int code, String reason) {
        }

        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CompletableFuture<Close> closed = new CompletableFuture<>();
        private WebSocket socket;

        static Session open(URI uri) throws Exception {
            Session s = new Session();
            s.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, s)
                    .get(WS_BUDGET.toSeconds(), TimeUnit.SECONDS);
            return s;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            synchronized (received) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.writeBytes(b);
                received.notifyAll();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(new Close(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Close(-1, String.valueOf(error)));
        }

        /** The first {@code n} bytes received (waits up to the budget). */
        byte[] awaitBytes(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WS_BUDGET.toNanos();
            synchronized (received) {
                while (received.size() < n && !closed.isDone()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    received.wait(left);
                }
                assertTrue(received.size() >= n, "received " + received.size() + " bytes, closed " + closed.getNow(null));
                return received.toByteArray();
            }
        }

        Close awaitClose() throws Exception {
            return closed.get(WS_BUDGET.toSeconds(), TimeUnit.SECONDS);
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WS_BUDGET.toSeconds(), TimeUnit.SECONDS);
            awaitClose();
        }
    }
}

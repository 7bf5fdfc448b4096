package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator dashboard in a real browser: a whole cloud (three simulated hosts), then
 * {@code src/test/browser/dashboard.mjs} drives Debian's headless Chromium through playwright-core
 * (installed by {@code npm ci} from the committed lock file): log in with the admin token, see the
 * hosts, create an instance from the form and watch it become ACTIVE live, stop it, read the "no
 * valid host" explanation of an instance that fits nowhere and delete it, visit volumes, networks and
 * operations.
 * A screenshot of each page lands in {@code target/screenshots/}. Needs node, npm and chromium
 * ({@code scripts/setup.sh} installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> PAGES = List.of("01-login", "02-fleet", "03-create", "04-instance-active",
            "05-instance-stopped", "06-instances", "07-instance-no-valid-host", "08-volumes", "09-networks",
            "10-operations");

    private Cloud cloud;
    private Api admin;
    private String errorInstance;

    @BeforeAll
    void startCloud() {
        cloud = Cloud.start();
        admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "m1.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "r1.huge", "vcpus", 2, "ram_mb", 65536, "disk_gb", 1))
                .then().statusCode(201);
        String network = admin.create("/v1/networks", Map.of("name", "public", "shared", true), 201);
        admin.post("/v1/networks/" + network + "/subnets", Map.of("name", "public-v4", "cidr", "10.20.0.0/24"))
                .then().statusCode(201);
        String image = admin.create("/v1/images",
                Map.of("name", "tiny", "disk_format", "raw", "visibility", "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200).body("status", equalTo("ACTIVE"));
        // an instance no host can take (64 GiB of RAM): the dashboard must say why
        String system = admin.get("/v1/projects").then().statusCode(200).extract()
                .path("items.find { it.system == true }.id");
        admin.request().contentType("application/json").body(Map.of("ram_mb", 1_000_000, "vcpus", 100))
                .put("/v1/projects/" + system + "/quotas").then().statusCode(200);
        errorInstance = admin.create("/v1/instances", Map.of("name", "big-1", "flavor", "r1.huge", "image", image,
                "networks", List.of(Map.of("network", network))), 202);
        admin.await("/v1/instances/" + errorInstance, BUILD_TIMEOUT, r -> "ERROR".equals(r.path("status")));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void anOperatorLogsInSeesTheHostsCreatesAnInstanceWatchesItBecomeActiveAndStopsIt() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
                "Debian's chromium is needed at /usr/bin/chromium (scripts/setup.sh installs it)");
        Path screenshots = Path.of("target/screenshots").toAbsolutePath();
        Path userData = Files.createTempDirectory("virga-chromium-");
        Path dir = BrowserScripts.installed();
        Path log = dir.resolve("dashboard-run.log");
        ProcessBuilder pb = new ProcessBuilder("node", "dashboard.mjs").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("VIRGA_URL", cloud.gatewayUrl(), "VIRGA_TOKEN", cloud.adminToken(),
                "VIRGA_HOSTS", "3", "VIRGA_ERROR_INSTANCE", errorInstance,
                "SCREENSHOT_DIR", screenshots.toString(), "USER_DATA_DIR", userData.toString()));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(BROWSER_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.print(output);
        System.out.printf("e2e: browser run took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        BrowserScripts.deleteTree(userData);
        assertTrue(ended, "the browser script ended within " + BROWSER_TIMEOUT);
        assertEquals(0, p.exitValue(), "the browser script passed:\n" + output);
        assertTrue(output.contains("browser: all steps passed"), output);
        for (String page : PAGES) {
            Path png = screenshots.resolve(page + ".png");
            assertTrue(Files.size(png) > 5_000, "a real screenshot of " + page + ": " + png);
        }

        // what the browser did really happened: the instance it made is STOPPED
        String id = output.lines().filter(l -> l.startsWith("browser: instance i-")).findFirst()
                .map(l -> l.substring("browser: instance ".length()).trim()).orElseThrow();
        Response instance = admin.get("/v1/instances/" + id);
        instance.then().statusCode(200).body("name", equalTo("dash-1")).body("status", equalTo("STOPPED"));
        admin.await("/v1/instances/" + errorInstance, BUILD_TIMEOUT, r -> "DELETED".equals(r.path("status")));
    }

    /** src/test/browser copied to target/browser with its npm packages installed ({@code npm ci}, once per lock). */
    static final class BrowserScripts {
        private BrowserScripts() {
        }

        static Path installed() {
            Path src = Cloud.repoRoot().resolve("e2e-tests/src/test/browser");
            Path dir = Path.of("target/browser").toAbsolutePath();
            try {
                Files.createDirectories(dir);
                for (String f : List.of("package.json", "package-lock.json", "dashboard.mjs", "console.mjs")) {
                    Files.copy(src.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                String lock = Files.readString(dir.resolve("package-lock.json"));
                Path stamp = dir.resolve("node_modules/.virga-lock");
                if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(lock)) {
                    Path npmLog = dir.resolve("npm.log");
                    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
                    if (!npm.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
                        npm.destroyForcibly();
                        throw new AssertionError("npm ci took over 10 minutes");
                    }
                    if (npm.exitValue() != 0) {
                        throw new AssertionError("npm ci exited " + npm.exitValue() + ": " + Files.readString(npmLog));
                    }
                    Files.writeString(stamp, lock);
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("node and npm are needed (scripts/setup.sh installs them)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        static void deleteTree(Path root) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}

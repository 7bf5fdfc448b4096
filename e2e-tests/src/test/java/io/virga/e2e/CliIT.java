package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real {@code virga} CLI jar ({@code java -jar cli/target/virga-cli.jar}, a subprocess per command)
 * against a real cloud: the admin creates a flavor, a project and a member token; the member creates a
 * network, a subnet and an image, then an instance with {@code --wait} until ACTIVE, lists it (table and
 * JSON) and deletes it. Bad input (an unknown flavor) is one clear line, exit 1, and creates nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A whole create-and-wait on a busy 2-core machine; only a stuck command should hit it. */
    private static final long COMMAND_TIMEOUT_MINUTES = 6;

    private Cloud cloud;
    private Path jar;
    private Path work;
    private Map<String, String> admin;
    private Map<String, String> member;

    /** One finished CLI run. */
    record Run(int code, String out, String err, double seconds) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        Run ok() {
            assertEquals(0, code, "exit code; stderr: " + err + "\nstdout: " + out);
            return this;
        }
    }

    @BeforeAll
    void startCloud() throws IOException {
        jar = Cloud.repoRoot().resolve("cli/target/virga-cli.jar");
        assertTrue(Files.isRegularFile(jar), "the CLI is packaged before the e2e tests: " + jar);
        work = Files.createTempDirectory("virga-cli-it-");
        cloud = Cloud.start();
        admin = Map.of("VIRGA_URL", cloud.gatewayUrl(), "VIRGA_TOKEN", cloud.adminToken());
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** Runs {@code java -jar virga-cli.jar args} with {@code env} (and no .virga/ in its directory). */
    private Run cli(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIRGA_"));
        pb.environment().putAll(env);
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("virga " + String.join(" ", args) + " did not end within "
                        + COMMAND_TIMEOUT_MINUTES + " min");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
            System.out.printf("e2e: virga %s -> exit %d in %.2f s%n", shown(args), r.code(), r.seconds());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /**
     * Runs {@code ./virga args} (the repository's script, which forwards what it does not know to the
     * CLI) with {@code VIRGA_HOME} holding the files {@code ./virga up} writes: the credentials come from
     * there, not from the environment.
     */
    private Run script(Path virgaHome, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Cloud.repoRoot().resolve("virga").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIRGA_"));
        pb.environment().put("VIRGA_HOME", virgaHome.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path out = work.resolve("script-out.txt");
        Path err = work.resolve("script-err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("./virga " + String.join(" ", args) + " did not end in time");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
            System.out.printf("e2e: ./virga %s -> exit %d in %.2f s%n", shown(args), r.code(), r.seconds());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The arguments as printed in the log: a token's value is not. */
    private static String shown(String... args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            out.add(i > 0 && args[i - 1].equals("--token") ? "***" : args[i]);
        }
        return String.join(" ", out);
    }

    @Test
    @Order(1)
    void theAdminCreatesAFlavorAProjectAndAMemberToken() {
        JsonNode flavor = cli(admin, "flavor", "create", "c1.small", "--vcpus", "1", "--ram-mb", "512",
                "--disk-gb", "1", "-o", "json").ok().json();
        assertTrue(flavor.path("id").asText().startsWith("f-"), flavor.toString());
        assertTrue(cli(admin, "flavor", "list").ok().out().lines()
                .anyMatch(l -> l.contains("c1.small") && l.contains("512")), "the table lists the flavor");

        // --url/--token options instead of the environment
        JsonNode project = cli(Map.of(), "project", "create", "cli-co", "--url", cloud.gatewayUrl(),
                "--token", cloud.adminToken(), "-o", "json").ok().json();
        assertTrue(project.path("id").asText().startsWith("prj-"), project.toString());
        JsonNode token = cli(admin, "token", "create", "--project", "cli-co", "--role", "member", "-o", "json")
                .ok().json();
        assertEquals("member", token.path("role").asText());
        member = new HashMap<>(Map.of("VIRGA_URL", cloud.gatewayUrl(), "VIRGA_TOKEN", token.path("token").asText()));

        Run hosts = cli(admin, "host", "list").ok();
        assertEquals(3, hosts.out().lines().filter(l -> l.contains(" UP ")).count(), hosts.out());
    }

    @Test
    @Order(2)
    void theVirgaScriptForwardsToTheCliWhichReadsTheFilesOfVirgaUp() throws IOException {
        Path home = Files.createDirectories(work.resolve("dot-virga"));
        Files.writeString(home.resolve("state.json"), "{\n  \"gatewayUrl\" : \"" + cloud.gatewayUrl() + "\"\n}\n");
        Files.writeString(home.resolve("admin-token"), cloud.adminToken() + "\n");
        Run flavors = script(home, "flavor", "list", "-o", "json").ok();
        assertTrue(flavors.out().contains("\"c1.small\""), flavors.out());
        Run unknown = script(home, "flavour", "list");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("virga flavor"), "suggests the right command: " + unknown.err());
    }

    @Test
    @Order(3)
    void theMemberBuildsAnInstanceWithWaitListsItAndDeletesIt() throws IOException {
        cli(member, "network", "create", "cli-net").ok();
        JsonNode subnet = cli(member, "subnet", "create", "cli-net-v4", "--network", "cli-net",
                "--cidr", "10.77.0.0/24", "-o", "json").ok().json();
        assertEquals("10.77.0.0/24", subnet.path("cidr").asText());
        assertTrue(cli(member, "subnet", "list").ok().out().contains("10.77.0.0/24"));

        Path disk = Files.write(work.resolve("tiny.raw"), new byte[64 * 1024]);
        JsonNode image = cli(member, "image", "create", "cli-tiny", "--disk-format", "raw", "--file",
                disk.toString(), "-o", "json").ok().json();
        assertEquals("ACTIVE", image.path("status").asText(), image.toString());

        Run created = cli(member, "instance", "create", "cli-web-1", "--flavor", "c1.small", "--image", "cli-tiny",
                "--network", "cli-net", "--wait", "-o", "json").ok();
        JsonNode instance = created.json();
        String id = instance.path("id").asText();
        assertEquals("ACTIVE", instance.path("status").asText(), created.out());
        assertTrue(instance.path("addresses").get(0).path("ip").asText().startsWith("10.77.0."), created.out());
        assertTrue(created.err().contains("waiting for instance " + id + ": BUILDING"), created.err());
        assertTrue(created.err().contains("instance " + id + " is ACTIVE after"), created.err());
        System.out.print("e2e: its progress on stderr\n" + created.err());
        System.out.printf("e2e: virga instance create --wait -> ACTIVE in %.1f s (JVM start included)%n",
                created.seconds());

        Run table = cli(member, "instance", "list").ok();
        System.out.print("e2e: virga instance list prints\n" + table.out());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ID") && lines.get(0).contains("STATUS"), table.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(id) && l.contains("cli-web-1") && l.contains("ACTIVE")
                && l.contains("c1.small")), table.out());
        JsonNode items = cli(member, "instance", "list", "-o", "json").ok().json();
        assertEquals(1, items.size(), items.toString());
        assertEquals(id, items.get(0).path("id").asText());
        assertTrue(cli(member, "instance", "show", "cli-web-1", "-o", "yaml").ok().out()
                .contains("status: ACTIVE"));

        Run stopped = cli(member, "instance", "stop", "cli-web-1", "--grace", "0", "--wait", "-o", "json").ok();
        assertEquals("STOPPED", stopped.json().path("status").asText(), stopped.out());
        assertTrue(stopped.err().contains("is SUCCEEDED after"), "waited for the operation: " + stopped.err());
        Run started = cli(member, "instance", "start", "cli-web-1", "--wait", "-o", "json").ok();
        assertEquals("ACTIVE", started.json().path("status").asText(), started.out());
        Run refused = cli(member, "instance", "start", "cli-web-1");
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().startsWith("virga: error 409 "), "a forbidden transition: " + refused.err());
        System.out.print("e2e: starting an ACTIVE instance prints " + refused.err());
        Run ops = cli(member, "operation", "list").ok();
        assertTrue(ops.out().lines().filter(l -> l.contains(id) && l.contains("SUCCEEDED")).count() >= 3,
                "create, stop and start are SUCCEEDED operations: " + ops.out());

        JsonNode volume = cli(member, "volume", "create", "cli-data", "--size-gb", "1", "--wait", "-o", "json")
                .ok().json();
        assertEquals("AVAILABLE", volume.path("status").asText(), volume.toString());
        assertTrue(cli(member, "volume", "list").ok().out().lines()
                .anyMatch(l -> l.contains("cli-data") && l.contains("AVAILABLE")), "the table lists the volume");
        cli(member, "volume", "delete", "cli-data").ok();

        Run deleted = cli(member, "instance", "delete", "cli-web-1", "--wait").ok();
        assertTrue(deleted.err().contains("instance " + id + " is DELETED after"), deleted.err());
        assertEquals(0, cli(member, "instance", "list", "-o", "json").ok().json().size(),
                "a deleted instance is no longer listed");
        cli(member, "network", "delete", "cli-net").ok();
    }

    @Test
    @Order(4)
    void anUnknownFlavorIsOneClearLineExitOneAndCreatesNothing() {
        Run bad = cli(admin, "instance", "create", "cli-bad-1", "--flavor", "m1.nope", "--image", "img-none",
                "--network", "n-none");
        System.out.print("e2e: an unknown flavor prints " + bad.err());
        assertEquals(1, bad.code(), bad.err());
        assertEquals("", bad.out());
        assertEquals(1, bad.err().lines().count(), "one line: " + bad.err());
        assertTrue(bad.err().startsWith("virga: error 400 "), bad.err());
        assertTrue(bad.err().contains("flavor: flavor m1.nope not found"), bad.err());
        assertFalse(cli(admin, "instance", "list").ok().out().contains("cli-bad-1"), "nothing was created");

        Run usage = cli(admin, "instance", "create", "cli-bad-2", "--flavor", "c1.small");
        assertEquals(2, usage.code(), "a usage error: " + usage.err());
        assertTrue(usage.err().contains("--image"), usage.err());
    }
}

package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real {@code terraform} binary drives the Virga provider ({@code terraform-provider/bin/terraform-provider-virga},
 * found through a CLI configuration with {@code dev_overrides}, no {@code terraform init}) against a real
 * cloud with simulated hosts: apply creates a network, a subnet, a security group with a rule, a floating
 * IP and an instance that is ACTIVE; a flavor change plans an in-place update (resize, confirmed) and applies it;
 * a rule deleted behind Terraform's back is planned again; an unknown volume id is not imported, an
 * existing volume is, and then plans no change; a bad CIDR is refused at plan time and creates nothing; an
 * instance the API refuses (unknown flavor) fails the apply with the API's words and stays out of the state;
 * destroy leaves nothing (checked through the API). Skipped, with the reason printed, only when there is no {@code terraform} binary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COMMAND_TIMEOUT_MINUTES = 8;

    private Cloud cloud;
    private Api member;
    private String memberToken;
    private Path work;
    private Path cliConfig;
    private String terraform;
    private String image;
    private String external;

    /** One finished terraform run. */
    record Run(int code, String out, String err, double seconds) {
        Run ok() {
            assertEquals(0, code, "exit code; stderr: " + err + "\nstdout: " + out);
            return this;
        }
    }

    @BeforeAll
    void startCloud() throws IOException {
        terraform = findOnPath("terraform");
        if (terraform == null) {
            System.out.println("e2e: TerraformIT skipped: no terraform binary on the PATH ("
                    + System.getenv("PATH") + ")");
        }
        Assumptions.assumeTrue(terraform != null, "no terraform binary on the PATH");
        Path provider = Cloud.repoRoot().resolve("terraform-provider/bin/terraform-provider-virga");
        Path jar = Cloud.repoRoot().resolve("terraform-provider/target/terraform-provider-virga.jar");
        assertTrue(Files.isExecutable(provider), "the provider wrapper: " + provider);
        assertTrue(Files.isRegularFile(jar), "the provider is packaged before the e2e tests: " + jar);
        work = Files.createTempDirectory("virga-tf-it-");
        cliConfig = work.resolve("cli.tfrc");
        Files.writeString(cliConfig, "provider_installation {\n  dev_overrides {\n    \"virga/virga\" = \""
                + provider.getParent() + "\"\n  }\n  direct {}\n}\n");

        cloud = Cloud.start();
        Api admin = cloud.admin();
        admin.post("/v1/flavors", Map.of("name", "tf.small", "vcpus", 1, "ram_mb", 512, "disk_gb", 1))
                .then().statusCode(201);
        admin.post("/v1/flavors", Map.of("name", "tf.medium", "vcpus", 2, "ram_mb", 1024, "disk_gb", 2))
                .then().statusCode(201);
        image = admin.create("/v1/images", Map.of("name", "tf-tiny", "disk_format", "raw",
                "visibility", "public"), 201);
        admin.request().contentType("application/octet-stream").body(new byte[64 * 1024])
                .put("/v1/images/" + image + "/data").then().statusCode(200);
        external = admin.create("/v1/networks", Map.of("name", "tf-ext", "external", true), 201);
        admin.post("/v1/networks/" + external + "/subnets", Map.of("cidr", "172.30.0.0/24")).then().statusCode(201);
        String project = admin.create("/v1/projects", Map.of("name", "tf-co"), 201);
        memberToken = admin.post("/v1/projects/" + project + "/tokens", Map.of("role", "member"))
                .then().statusCode(201).extract().path("token");
        member = admin.as(memberToken, project);
        cloud.raiseQuota(member, Map.of("instances", 10, "vcpus", 20, "ram_mb", 20_000));
    }

    @AfterAll
    void stopCloud() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The stack: the public image is named by id (another project's image name does not resolve). */
    private String config(String flavor, boolean withVolume) {
        return """
                terraform {
                  required_providers {
                    virga = { source = "virga/virga" }
                  }
                }
                provider "virga" {}

                resource "virga_network" "web" {
                  name = "tf-web"
                }
                resource "virga_subnet" "web" {
                  network_id = virga_network.web.id
                  name       = "tf-web-v4"
                  cidr       = "10.81.0.0/24"
                }
                resource "virga_security_group" "web" {
                  name        = "tf-web"
                  description = "web servers"
                }
                resource "virga_security_group_rule" "ssh" {
                  security_group_id = virga_security_group.web.id
                  direction         = "ingress"
                  protocol          = "tcp"
                  port_range_min    = 22
                  port_range_max    = 22
                  remote_ip_prefix  = "0.0.0.0/0"
                }
                resource "virga_instance" "web" {
                  name        = "tf-web-1"
                  flavor      = "%s"
                  image       = "%s"
                  network_ids = [virga_network.web.id]
                  depends_on  = [virga_subnet.web]
                }
                resource "virga_floating_ip" "web" {
                  floating_network_id = "%s"
                }
                output "instance_id" { value = virga_instance.web.id }
                output "floating_ip" { value = virga_floating_ip.web.address }
                output "instance_ip" { value = virga_instance.web.addresses[0].ip }
                output "rule_id" { value = virga_security_group_rule.ssh.id }
                output "group_id" { value = virga_security_group.web.id }
                """.formatted(flavor, image, external) + (withVolume ? """
                resource "virga_volume" "data" {
                  name    = "tf-data"
                  size_gb = 1
                }
                """ : "");
    }

    private void write(Path dir, String tf) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("main.tf"), tf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code terraform args} in {@code dir} with the dev_overrides CLI config and the member's credentials. */
    private Run tf(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(terraform));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIRGA_") || k.startsWith("TF_"));
        pb.environment().put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().put("VIRGA_ENDPOINT", cloud.gatewayUrl());
        pb.environment().put("VIRGA_TOKEN", memberToken);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("terraform " + String.join(" ", args) + " did not end within "
                        + COMMAND_TIMEOUT_MINUTES + " min; stdout so far: " + Files.readString(out));
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
            System.out.printf("e2e: terraform %s -> exit %d in %.1f s%n", String.join(" ", args), r.code(),
                    r.seconds());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private JsonNode outputs(Path dir) {
        try {
            return JSON.readTree(tf(dir, "output", "-json", "-no-color").ok().out());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path stack() {
        return work.resolve("stack");
    }

    @Test
    @Order(1)
    void applyCreatesANetworkASubnetARuleAndAnActiveInstance() {
        write(stack(), config("tf.small", false));
        Run plan = tf(stack(), "plan", "-no-color", "-input=false");
        plan.ok();
        assertTrue(plan.out().contains("Plan: 6 to add, 0 to change, 0 to destroy."), plan.out());
        assertTrue(plan.out().contains("status      = (known after apply)"), "computed values are unknown: "
                + plan.out());
        Run apply = tf(stack(), "apply", "-auto-approve", "-no-color", "-input=false").ok();
        assertTrue(apply.out().contains("Apply complete! Resources: 6 added"), apply.out());
        System.out.printf("e2e: terraform apply of 6 resources (instance to ACTIVE) took %.1f s%n", apply.seconds());

        JsonNode out = outputs(stack());
        String id = out.path("instance_id").path("value").asText();
        JsonNode instance = JSON.valueToTree(member.get("/v1/instances/" + id).then().statusCode(200).extract()
                .as(Map.class));
        assertEquals("ACTIVE", instance.path("status").asText(), instance.toString());
        assertEquals("tf.small", instance.path("flavor").path("name").asText());
        assertTrue(out.path("instance_ip").path("value").asText().startsWith("10.81.0."), out.toString());
        assertTrue(out.path("floating_ip").path("value").asText().startsWith("172.30.0."), out.toString());

        Run again = tf(stack(), "plan", "-detailed-exitcode", "-no-color", "-input=false");
        assertEquals(0, again.code(), "the same configuration plans no change: " + again.out() + again.err());
    }

    @Test
    @Order(2)
    void aFlavorChangePlansAnInPlaceResizeAndAppliesIt() {
        write(stack(), config("tf.medium", false));
        Run plan = tf(stack(), "plan", "-no-color", "-input=false").ok();
        assertTrue(plan.out().contains("virga_instance.web will be updated in-place"), plan.out());
        assertTrue(plan.out().contains("~ flavor      = \"tf.small\" -> \"tf.medium\""), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), plan.out());
        String id = outputs(stack()).path("instance_id").path("value").asText();
        Run apply = tf(stack(), "apply", "-auto-approve", "-no-color", "-input=false").ok();
        assertTrue(apply.out().contains("1 changed"), apply.out());
        System.out.printf("e2e: terraform apply of a resize (resize + confirm) took %.1f s%n", apply.seconds());
        assertEquals(id, outputs(stack()).path("instance_id").path("value").asText(), "the same instance");
        member.get("/v1/instances/" + id).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ACTIVE"))
                .body("flavor.name", org.hamcrest.Matchers.equalTo("tf.medium"));
    }

    @Test
    @Order(3)
    void aRuleDeletedOutsideTerraformIsPlannedAgain() {
        JsonNode out = outputs(stack());
        String group = out.path("group_id").path("value").asText();
        String rule = out.path("rule_id").path("value").asText();
        member.delete("/v1/security-groups/" + group + "/rules/" + rule).then().statusCode(204);
        Run plan = tf(stack(), "plan", "-detailed-exitcode", "-no-color", "-input=false");
        assertEquals(2, plan.code(), "a change is planned: " + plan.out() + plan.err());
        assertTrue(plan.out().contains("virga_security_group_rule.ssh will be created"), plan.out());
        tf(stack(), "apply", "-auto-approve", "-no-color", "-input=false").ok();
        assertNotEquals(rule, outputs(stack()).path("rule_id").path("value").asText(), "a new rule");
    }

    @Test
    @Order(4)
    void importAdoptsAnExistingVolume() {
        String volume = member.create("/v1/volumes", Map.of("name", "tf-data", "size_gb", 1), 202);
        member.await("/v1/volumes/" + volume, Duration.ofMinutes(3),
                r -> "AVAILABLE".equals(r.path("status")));
        write(stack(), config("tf.medium", true));
        Run missing = tf(stack(), "import", "-no-color", "-input=false", "virga_volume.data", "v-nope");
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.err().contains("there is no virga_volume v-nope in this project"), missing.err());
        Run imported = tf(stack(), "import", "-no-color", "-input=false", "virga_volume.data", volume).ok();
        assertTrue(imported.out().contains("Import successful!"), imported.out());
        Run plan = tf(stack(), "plan", "-detailed-exitcode", "-no-color", "-input=false");
        assertEquals(0, plan.code(), "the imported volume matches its configuration: " + plan.out() + plan.err());
        Run show = tf(stack(), "state", "show", "-no-color", "virga_volume.data").ok();
        assertTrue(show.out().contains(volume) && show.out().contains("AVAILABLE"), show.out());
    }

    @Test
    @Order(5)
    void aBadCidrIsRefusedAtPlanTimeAndCreatesNothing() {
        Path bad = work.resolve("bad");
        write(bad, """
                terraform {
                  required_providers {
                    virga = { source = "virga/virga" }
                  }
                }
                provider "virga" {}
                resource "virga_network" "bad" {
                  name = "tf-bad"
                }
                resource "virga_subnet" "bad" {
                  network_id = virga_network.bad.id
                  cidr       = "10.0.0.0/33"
                }
                """);
        Run plan = tf(bad, "plan", "-no-color", "-input=false");
        assertEquals(1, plan.code(), plan.out());
        assertTrue(plan.err().contains("cidr must be an IPv4 CIDR such as 10.0.0.0/24"), plan.err());
        System.out.print("e2e: a bad CIDR prints\n" + plan.err());
        List<String> names = member.get("/v1/networks").then().statusCode(200).extract().path("items.name");
        assertTrue(!names.contains("tf-bad"), "nothing was created: " + names);
    }

    @Test
    @Order(6)
    void anInstanceTheApiRefusesFailsTheApplyWithTheApisWordsAndStaysOutOfTheState() {
        Path bad = work.resolve("refused");
        write(bad, """
                terraform {
                  required_providers {
                    virga = { source = "virga/virga" }
                  }
                }
                provider "virga" {}
                resource "virga_network" "ok" {
                  name = "tf-refused"
                }
                resource "virga_instance" "bad" {
                  name        = "tf-refused-1"
                  flavor      = "tf.nope"
                  image       = "%s"
                  network_ids = [virga_network.ok.id]
                }
                """.formatted(image));
        Run apply = tf(bad, "apply", "-auto-approve", "-no-color", "-input=false");
        assertEquals(1, apply.code(), apply.out());
        assertTrue(apply.err().contains("flavor tf.nope not found"), apply.err());
        System.out.print("e2e: an unknown flavor fails the apply with\n" + apply.err());
        assertEquals("virga_network.ok", tf(bad, "state", "list").ok().out().strip(),
                "what succeeded is kept, the refused instance is not in the state");
        List<String> instances = member.get("/v1/instances").then().statusCode(200).extract().path("items.name");
        assertTrue(!instances.contains("tf-refused-1"), "no instance was made: " + instances);
        tf(bad, "destroy", "-auto-approve", "-no-color", "-input=false").ok();
        List<String> names = member.get("/v1/networks").then().statusCode(200).extract().path("items.name");
        assertTrue(!names.contains("tf-refused"), "destroyed: " + names);
    }

    @Test
    @Order(7)
    void destroyLeavesNothingBehind() {
        Run destroy = tf(stack(), "destroy", "-auto-approve", "-no-color", "-input=false").ok();
        assertTrue(destroy.out().contains("Destroy complete! Resources: 7 destroyed."), destroy.out());
        System.out.printf("e2e: terraform destroy of 7 resources took %.1f s%n", destroy.seconds());
        assertEquals(List.of(), member.get("/v1/instances").then().statusCode(200).extract().path("items"));
        assertEquals(List.of(), member.get("/v1/volumes").then().statusCode(200).extract().path("items"));
        List<String> networks = member.get("/v1/networks").then().statusCode(200).extract().path("items.name");
        assertTrue(!networks.contains("tf-web"), "the network is gone: " + networks);
        assertEquals(List.of(), member.get("/v1/floating-ips").then().statusCode(200).extract().path("items"));
        List<String> groups = member.get("/v1/security-groups").then().statusCode(200).extract()
                .path("items.name");
        assertTrue(!groups.contains("tf-web"), "the security group is gone: " + groups);
    }
}

package io.virga.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** scripts/build-images.sh and deploy/images against the services, the compose file and the chart. */
class ImagesTest {
    private final String script = Repo.read(Repo.file("scripts/build-images.sh"));

    @Test
    void everyImageExposesItsServicesOwnPorts() {
        Matcher m = Pattern.compile("(?m)^\\s*([a-z-]+)\\) echo \"(\\d+) (\\d+)\" ;;").matcher(script);
        Map<String, List<String>> ports = new HashMap<>();
        while (m.find()) {
            ports.put(m.group(1), List.of(m.group(2), m.group(3)));
        }
        assertEquals(Repo.SERVICES.size(), ports.size(), "one port pair per service: " + ports);
        for (String s : Repo.SERVICES) {
            ServiceConfigKeys keys = ServiceConfigKeys.of(Repo.root(), s);
            assertEquals(List.of(keys.property("quarkus.http.port").orElseThrow(),
                    keys.property("quarkus.grpc.server.port").orElseThrow()), ports.get(s), s);
        }
    }

    @Test
    void onlyComputeNodeRunsAsRootAndNoBuildStepNeedsTheNetwork() {
        String containerfile = Repo.read(Repo.file("deploy/images/Containerfile"));
        assertTrue(containerfile.contains("ARG RUN_AS=10001") && containerfile.contains("USER ${RUN_AS}"), "non-root default");
        assertTrue(script.contains("if [ \"$svc\" = compute-node ]; then base=\"localhost/virga/base-compute:latest\"; run_as=0; fi"),
                "root (and the hypervisor base) only for compute-node");
        for (String file : List.of("deploy/images/Containerfile", "deploy/images/postgres/Containerfile",
                "deploy/images/kafka/Containerfile")) {
            assertTrue(Pattern.compile("(?m)^RUN ").matcher(Repo.read(Repo.file(file))).results().findAny().isEmpty(),
                    file + " has no RUN step");
        }
        assertTrue(Repo.read(Repo.file("deploy/images/kafka/Containerfile")).contains("USER 10001"), "Kafka as virga");
    }

    @Test
    void composeAndChartUseTheImagesAndTagTheScriptBuilds() {
        Matcher tag = Pattern.compile("tag=\"\\$\\{VIRGA_IMAGE_TAG:-([^}]+)}\"").matcher(script);
        assertTrue(tag.find(), "default tag in build-images.sh");
        String built = tag.group(1);
        for (ComposeFile.Service s : ComposeFile.parse(Repo.read(Repo.file("docker-compose.yml"))).services().values()) {
            assertTrue(s.image().startsWith("localhost/virga/") && s.image().endsWith(":" + built), s.name() + ": " + s.image());
        }
        String values = Repo.read(Repo.file("helm/virga/values.yaml"));
        assertTrue(values.contains("  tag: " + built + "\n"), "chart image.tag " + built);
        assertTrue(Repo.read(Repo.file("helm/virga/Chart.yaml")).contains("appVersion: \"" + built + "\""), "appVersion");
        assertTrue(values.contains("image: localhost/virga/postgres:" + built) && values.contains("image: localhost/virga/kafka:" + built));
    }

    @Test
    void theKafkaImageRunsTheBrokerVersionTheBuildUses() {
        String pom = Repo.read(Repo.file("deploy/images/kafka/pom.xml"));
        assertTrue(pom.contains("<artifactId>virga-parent</artifactId>") && pom.contains("<artifactId>kafka_2.13</artifactId>")
                && !pom.contains("<version>4."), "kafka_2.13 without its own version: the project's BOM decides");
        assertTrue(Repo.read(Repo.file("devstack/pom.xml")).contains("<artifactId>kafka_2.13</artifactId>"));
    }
}

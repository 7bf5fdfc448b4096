package io.virga.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart's Grafana dashboard queries only metrics the services really register. */
class GrafanaDashboardTest {
    private static final Pattern VIRGA_METRIC = Pattern.compile("\\bvirga_[a-z_]+");
    private static final Pattern SUFFIX = Pattern.compile("_(total|seconds_count|seconds_sum|seconds_max|seconds)$");

    @Test
    void everyVirgaMetricInTheDashboardIsOneTheCodeRegisters() throws IOException {
        JsonNode cm = ChartRenderer.render(HelmChartTest.EXTERNAL).named("ConfigMap", "rel-grafana-dashboard");
        JsonNode dashboard = new ObjectMapper().readTree(cm.at("/data/virga.json").asText());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertTrue(exprs.size() >= 15, "queries: " + exprs.size());
        Set<String> metrics = new TreeSet<>();
        exprs.forEach(e -> {
            Matcher m = VIRGA_METRIC.matcher(e);
            while (m.find()) {
                metrics.add(m.group());
            }
        });
        assertTrue(metrics.size() >= 15, metrics.toString());
        String sources = mainSources();
        List<String> unknown = new ArrayList<>();
        for (String metric : metrics) {
            String meter = SUFFIX.matcher(metric).replaceAll("").replace('_', '.');
            if (!sources.contains("\"" + meter + "\"")) {
                unknown.add(metric + " (meter " + meter + ")");
            }
        }
        assertEquals(List.of(), unknown, "dashboard metrics no service registers");
        assertTrue(exprs.stream().anyMatch(e -> e.contains("http_server_requests_seconds_count")), "HTTP panels");
    }

    private static String mainSources() {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("api-gateway", "scheduler-svc", "storage-svc", "network-svc", "compute-node", "platform")) {
            try (Stream<Path> files = Files.walk(Repo.file(module + "/src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }
}

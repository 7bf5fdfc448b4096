package io.virga.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders helm/virga with {@code src/test/node/check-chart.mjs} (Go's text/template compiled to wasm,
 * from npm) and validates the manifests against the Kubernetes JSON schemas (kubernetes-models).
 * The npm packages are installed once into {@code target/node} by {@code npm ci} from the committed
 * package-lock.json (again only when the lock file changes). Results are cached per override text.
 */
final class ChartRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    /** One render: its manifests with their schema errors, NOTES.txt, or the render's error. */
    record Rendered(List<JsonNode> manifests, Map<JsonNode, List<String>> errors, String notes, String renderError) {
        List<JsonNode> ofKind(String kind) {
            return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
        }

        JsonNode named(String kind, String name) {
            return ofKind(kind).stream().filter(m -> name.equals(m.path("metadata").path("name").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
        }
    }

    private ChartRenderer() {
    }

    /** Renders release {@code rel} in namespace {@code virga} with values.yaml and {@code overrideYaml}. */
    static Rendered render(String overrideYaml) {
        return CACHE.computeIfAbsent(overrideYaml, ChartRenderer::doRender);
    }

    private static Rendered doRender(String overrideYaml) {
        Path nodeDir = NodeModules.installed();
        try {
            Path override = Files.createTempFile(nodeDir, "values-", ".yaml");
            Files.writeString(override, overrideYaml);
            Path out = nodeDir.resolve("render-" + override.getFileName() + ".json");
            Process p = new ProcessBuilder("node", "check-chart.mjs", Repo.file("helm/virga").toString(), "rel",
                    "virga", override.toString()).directory(nodeDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(nodeDir.resolve("check-chart.log").toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("rendering the chart took over 3 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("node check-chart.mjs exited " + p.exitValue() + ": "
                        + Files.readString(nodeDir.resolve("check-chart.log")));
            }
            JsonNode result = JSON.readTree(out.toFile());
            List<JsonNode> manifests = new ArrayList<>();
            Map<JsonNode, List<String>> errors = new java.util.IdentityHashMap<>();
            for (JsonNode m : result.path("manifests")) {
                JsonNode manifest = m.path("manifest");
                manifests.add(manifest);
                List<String> e = new ArrayList<>();
                m.path("errors").forEach(x -> e.add(m.path("template").asText() + ": " + x.asText()));
                errors.put(manifest, e);
            }
            return new Rendered(manifests, errors, result.path("notes").asText(null),
                    result.path("renderError").isNull() ? null : result.path("renderError").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** target/node with the npm packages of src/test/node installed. */
    static final class NodeModules {
        private static Path installed;

        private NodeModules() {
        }

        static synchronized Path installed() {
            if (installed != null) {
                return installed;
            }
            Path dir = Path.of(System.getProperty("virga.node.dir", "target/node")).toAbsolutePath();
            Path src = Repo.file("deploy-checks/src/test/node");
            try {
                Files.createDirectories(dir);
                for (String f : List.of("package.json", "package-lock.json", "check-chart.mjs")) {
                    Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
                String lockHash = sha256(Files.readAllBytes(dir.resolve("package-lock.json")));
                Path stamp = dir.resolve("node_modules/.virga-lock-sha256");
                if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(lockHash)) {
                    run(dir, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
                    Files.writeString(stamp, lockHash);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            installed = dir;
            return dir;
        }

        private static void run(Path dir, String... command) {
            try {
                // never inherit: the test JVM's stdout is surefire's channel
                Path log = dir.resolve("npm.log");
                Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " took over 10 minutes");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                            + Files.readString(log));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command[0]
                        + ": node and npm are needed (scripts/setup.sh installs them)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String sha256(byte[] data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

}

package io.virga.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The project's own guest images for e2e tests: built (cached) and registered as `./virga up` does. */
final class GuestImages {
    private GuestImages() {
    }

    /** Runs scripts/guest-image/build.sh; answers the directory holding the images. */
    static Path build() throws Exception {
        Path script = Cloud.repoRoot().resolve("scripts/guest-image/build.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "scripts/guest-image/build.sh failed");
        return Path.of(out.substring(out.lastIndexOf('\n') + 1));
    }

    /** Registers the images of {@code dir} in the cloud (scripts/register-guest-images.sh); answers name → id. */
    static Map<String, String> register(Cloud cloud, Path dir) throws Exception {
        Path script = Cloud.repoRoot().resolve("scripts/register-guest-images.sh");
        Process p = new ProcessBuilder("bash", script.toString(), cloud.gatewayUrl(), cloud.adminToken(),
                dir.toString()).redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(false).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.print(err);
        assertEquals(0, p.waitFor(), "scripts/register-guest-images.sh failed: " + err);
        Map<String, String> images = new HashMap<>();
        for (String line : err.lines().toList()) {
            String[] parts = line.split(" ");
            if (parts.length >= 2 && parts[1].startsWith("img-")) {
                images.put(parts[0], parts[1]);
            }
        }
        return images;
    }
}

package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Guest images and serial consoles for the real-guest tests: build, register, read through the public API. */
final class GuestConsole {
    private GuestConsole() {
    }

    /** Builds the project's guest images (scripts/guest-image/build.sh, cached); their directory. */
    static Path buildGuestImages() throws Exception {
        Path script = Cloud.repoRoot().resolve("scripts/guest-image/build.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "scripts/guest-image/build.sh failed");
        return Path.of(out.substring(out.lastIndexOf('\n') + 1));
    }

    /** Registers the guest images as `./virga up` does; image id by name. */
    static Map<String, String> registerImages(Cloud cloud, Path dir) throws Exception {
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
        assertTrue(images.containsKey("virga-busybox") && images.containsKey("virga-busybox-ct"), "registered " + images);
        return images;
    }

    /** The URL of the instance's serial console log (through the API). */
    static String serialUrl(Api api, String id) {
        return api.post("/v1/instances/" + id + "/console", Map.of("type", "serial"))
                .then().statusCode(200).body("type", equalTo("serial")).extract().path("url");
    }

    /** Waits (by time) until the console log at {@code url} matches {@code pattern} at least {@code times} times. */
    static Matcher awaitLog(Api api, String url, String id, Pattern pattern, int times, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        String log = "";
        while (System.nanoTime() < deadline) {
            Response r = api.request().accept("text/plain").get(url);
            if (r.statusCode() == 200) {
                log = r.asString();
                if (count(pattern, log) >= times) {
                    break;
                }
            }
            Api.sleep(250);
        }
        Matcher m = pattern.matcher(log);
        int found = 0;
        while (found < times && m.find()) {
            found++;
        }
        assertTrue(found >= times, "the console of " + id + " never showed " + pattern + " " + times + "x within "
                + budget + "; it ends: " + log.substring(Math.max(0, log.length() - 800)));
        return m;
    }

    private static int count(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

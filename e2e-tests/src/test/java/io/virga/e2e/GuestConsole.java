package io.virga.e2e;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serial consoles of real guests, read through the public API (images: {@link GuestImages}). */
final class GuestConsole {
    private GuestConsole() {
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

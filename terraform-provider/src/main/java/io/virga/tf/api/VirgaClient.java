package io.virga.tf.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The Virga REST API as the provider uses it: JSON in and out, the bearer token on every call.
 * Failures become {@link ApiError} with the problem's title, detail and field errors in one line;
 * {@link #find} answers null for 404 (the resource is gone).
 */
public final class VirgaClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String token;
    private volatile boolean stopping;

    public VirgaClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** Makes every running and later {@link #await} give up (Terraform asked the provider to stop). */
    public void stop() {
        stopping = true;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code GET path}; null when the resource does not exist (404). */
    public JsonNode find(String path) {
        Answer a = send("GET", path, null);
        if (a.status == 404) {
            return null;
        }
        return a.ok();
    }

    public JsonNode get(String path) {
        return send("GET", path, null).ok();
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body).ok();
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body).ok();
    }

    /** {@code DELETE path}; a resource already gone (404) counts as deleted. */
    public void delete(String path) {
        Answer a = send("DELETE", path, null);
        if (a.status != 404) {
            a.ok();
        }
    }

    /**
     * Polls {@code GET path} until {@code done} holds for the body (null: the resource is gone), or
     * fails after {@code budget}.
     */
    public JsonNode await(String path, Duration budget, String what, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + budget.toNanos();
        JsonNode last;
        while (true) {
            last = find(path);
            if (done.test(last)) {
                return last;
            }
            if (stopping) {
                throw new ApiError(0, "stopped by Terraform while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new ApiError(0, "timed out after " + budget.toSeconds() + " s waiting for " + what
                        + "; last seen: " + (last == null ? "gone" : last.path("status").asText()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(0, "interrupted while waiting for " + what);
            }
        }
    }

    private record Answer(String method, String path, int status, JsonNode body) {
        JsonNode ok() {
            if (status >= 200 && status < 300) {
                return body;
            }
            throw new ApiError(status, method + " " + path + ": " + status + " " + problem(body));
        }
    }

    /** The problem+json body as one line: title, detail, then each field error. */
    static String problem(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return "(no body)";
        }
        if (!body.isObject()) {
            return body.asText();
        }
        StringBuilder b = new StringBuilder(body.path("title").asText(""));
        JsonNode errors = body.path("errors");
        if (errors.isArray() && errors.size() > 0) {
            // the field errors say all the detail says (it summarises them)
            String sep = b.length() > 0 ? ": " : "";
            for (JsonNode e : errors) {
                b.append(sep).append(e.path("field").asText()).append(": ").append(e.path("message").asText());
                sep = "; ";
            }
            return b.toString();
        }
        String detail = body.path("detail").asText("");
        if (!detail.isEmpty() && !detail.equals(b.toString())) {
            b.append(b.length() > 0 ? ": " : "").append(detail);
        }
        return b.length() == 0 ? body.toString() : b.toString();
    }

    private Answer send(String method, String path, Object body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(CALL_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            req.header("Authorization", "Bearer " + token);
        }
        try {
            if (body != null) {
                req.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? NullNode.getInstance() : parse(r.body());
            return new Answer(method, path, r.statusCode(), json);
        } catch (IOException e) {
            throw new ApiError(0, method + " " + baseUrl + path + ": the Virga API is unreachable (" + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(0, method + " " + path + ": interrupted");
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }
}

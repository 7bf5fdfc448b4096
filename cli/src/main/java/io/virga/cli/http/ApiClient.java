package io.virga.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The public REST API over {@link HttpClient}: JSON in and out, the bearer token on every call.
 * A status of 400 and above throws {@link ApiError}; a connection that cannot be made throws
 * {@link Unreachable}. Thread-confined; one per command run.
 */
public final class ApiClient {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Credentials credentials;
    private final HttpClient http;
    private final ObjectMapper json;

    public ApiClient(Credentials credentials, ObjectMapper json) {
        this.credentials = credentials;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A successful answer: status, parsed body (an empty object node for 204) and the Location header. */
    public record Answer(int status, JsonNode body, String location) {
    }

    public Answer get(String path) {
        return send(builder(path).GET());
    }

    /** {@code GET path?k=v&…}; null values are left out. */
    public Answer get(String path, Map<String, String> query) {
        return get(path + queryString(query));
    }

    public Answer post(String path, Object body) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    public Answer delete(String path) {
        return send(builder(path).DELETE());
    }

    /** {@code PUT path} with the file's bytes as {@code application/octet-stream}, streamed. */
    public Answer putFile(String path, Path file) {
        try {
            return send(builder(path).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).timeout(Duration.ofMinutes(30)));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no such file: " + file);
        }
    }

    /**
     * Every item of a paged list ({@code {"items": […], "next_cursor": …}}), following the cursor
     * until the last page or until {@code max} items (0: no limit).
     */
    public ArrayNode listAll(String path, Map<String, String> query, int max) {
        ArrayNode all = json.createArrayNode();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("cursor", cursor);
            JsonNode page = get(path, q).body();
            JsonNode items = page.isArray() ? page : page.path("items");
            for (JsonNode item : items) {
                if (max > 0 && all.size() >= max) {
                    return all;
                }
                all.add(item);
            }
            cursor = page.hasNonNull("next_cursor") ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    public String url() {
        return credentials.url();
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(credentials.url() + path));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid API URL: " + credentials.url() + path);
        }
        b.timeout(REQUEST_TIMEOUT).header("Accept", "application/json, application/problem+json");
        if (credentials.token() != null) {
            b.header("Authorization", "Bearer " + credentials.token());
        }
        return b;
    }

    private Answer send(HttpRequest.Builder request) {
        HttpRequest r = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new Unreachable("cannot reach the Virga API at " + credentials.url()
                    + " (connection refused or timed out; is the cloud up? ./virga up starts one, "
                    + "--url or VIRGA_URL points elsewhere)", e);
        } catch (HttpTimeoutException e) {
            throw new Unreachable("the Virga API at " + credentials.url() + " did not answer "
                    + r.method() + " " + r.uri().getPath() + " in time", e);
        } catch (IOException e) {
            throw new Unreachable("cannot talk to the Virga API at " + credentials.url() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw ApiError.of(response.statusCode(), body, response.body());
        }
        return new Answer(response.statusCode(), body == null ? json.createObjectNode() : body,
                response.headers().firstValue("Location").orElse(null));
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body: " + e.getOriginalMessage(), e);
        }
    }

    static String queryString(Map<String, String> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code base + "/" + segment}, the segment percent-encoded (ids are safe; names may not be). */
    public static String path(String base, String segment) {
        return base + "/" + URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Checks a file exists and is readable before an upload. */
    public static void requireReadable(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read file " + file);
        }
    }
}

package io.virga.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks every exchange of the end-to-end tests against the document the gateway serves at {@code /openapi}
 * (a RestAssured filter that {@link Api} puts on each request): the route and method are documented (an
 * undocumented one may only answer 404 or 405), the status is declared, the Content-Type is a declared one,
 * and the body matches the declared schema with no undeclared fields ({@code additionalProperties: false} is
 * added to every object schema with properties, for checking only). A request the gateway accepted (2xx) must
 * match the documented request body as well. Every violation is written to
 * {@code target/openapi-violations.txt}; with {@code -Dvirga.openapi.strict=true} a violation also fails the
 * test at once with an {@link AssertionError} (off by default until the suite has run clean against the
 * document: the count is in {@link #summary()}). {@link #summary()} tells how many exchanges were checked.
 */
final class OpenApiContract implements Filter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Set<String> MUTATING = Set.of("post", "put", "patch", "delete");
    private static final Map<String, OpenApiContract> BY_BASE = new ConcurrentHashMap<>();
    private static final AtomicLong VALIDATED = new AtomicLong();
    private static final AtomicLong VIOLATIONS = new AtomicLong();
    private static final boolean STRICT = Boolean.getBoolean("virga.openapi.strict");
    private static final java.nio.file.Path REPORT = java.nio.file.Path.of("target", "openapi-violations.txt");

    private final String baseUrl;
    private volatile JsonNode doc;
    private volatile List<Route> routes;
    private volatile JsonNode strictComponents;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private record Route(String template, Pattern pattern, int literals) {
    }

    private OpenApiContract(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** The contract of the gateway at {@code baseUrl} (its document is fetched on first use). */
    static OpenApiContract of(String baseUrl) {
        return BY_BASE.computeIfAbsent(baseUrl, OpenApiContract::new);
    }

    /** How many exchanges were checked so far in this JVM. */
    static long validated() {
        return VALIDATED.get();
    }

    /** One line for the test log. */
    static String summary() {
        return "openapi-contract: " + VALIDATED.get() + " exchanges validated against the served document, "
                + VIOLATIONS.get() + " violations (" + REPORT.toAbsolutePath() + ")";
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext ctx) {
        Response answer = ctx.next(request, response);
        String path = URI.create(request.getURI()).getPath();
        if (!path.startsWith("/v1/")) {
            return answer;
        }
        List<String> problems;
        try {
            problems = check(request.getMethod().toLowerCase(Locale.ROOT), path, request.getBody(), answer);
        } catch (RuntimeException e) {
            problems = List.of("the check itself failed: " + e);
        }
        VALIDATED.incrementAndGet();
        if (!problems.isEmpty()) {
            String report = "response does not match the served OpenAPI document: "
                    + request.getMethod() + " " + path + " -> " + answer.statusCode() + "\n  "
                    + String.join("\n  ", problems) + "\n  body: " + abbreviate(answer.asString());
            record(report);
            if (STRICT) {
                throw new AssertionError(report);
            }
        }
        return answer;
    }

    private static synchronized void record(String report) {
        VIOLATIONS.incrementAndGet();
        try {
            java.nio.file.Files.createDirectories(REPORT.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(REPORT, report + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.err.println(report);
        }
    }

    /** The violations of one exchange (empty when it matches the document). */
    List<String> check(String method, String path, Object requestBody, Response answer) {
        load();
        int status = answer.statusCode();
        List<String> problems = new ArrayList<>();
        Route route = routes.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst().orElse(null);
        JsonNode op = route == null ? null : doc.path("paths").path(route.template()).get(method);
        if (op == null) {
            if (status != 404 && status != 405) {
                problems.add("undocumented operation " + method.toUpperCase(Locale.ROOT) + " " + path
                        + " answered " + status);
            }
            return problems;
        }
        String id = op.path("operationId").asText(route.template());
        JsonNode declared = op.path("responses").get(Integer.toString(status));
        if (declared == null) {
            declared = op.path("responses").get("default");
        }
        if (declared == null) {
            problems.add(id + ": status " + status + " is not declared (declared: "
                    + iterable(op.path("responses").fieldNames()) + ")");
            return problems;
        }
        JsonNode content = declared.get("content");
        String body = answer.asString();
        String type = answer.contentType() == null || answer.contentType().isEmpty() ? null
                : answer.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (content == null || content.isEmpty()) {
            if (body != null && !body.isEmpty()) {
                problems.add(id + " " + status + ": a body (" + type + ") where none is declared");
            }
        } else if (type == null) {
            problems.add(id + " " + status + ": no Content-Type where " + iterable(content.fieldNames())
                    + " is declared");
        } else if (!content.has(type)) {
            problems.add(id + " " + status + ": Content-Type " + type + " is not declared ("
                    + iterable(content.fieldNames()) + ")");
        } else if (type.contains("json")) {
            validate(id + "#" + status + "#" + type, content.path(type).path("schema"), body, "response", problems);
        }
        if (status / 100 == 2 && MUTATING.contains(method) && requestBody != null) {
            JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
            if (!schema.isMissingNode()) {
                validate(id + "#request", schema, requestText(requestBody), "accepted request", problems);
            }
        }
        return problems;
    }

    private void validate(String key, JsonNode schema, String body, String what, List<String> problems) {
        JsonNode value;
        try {
            value = JSON.readTree(body == null || body.isEmpty() ? "null" : body);
        } catch (IOException e) {
            problems.add(what + " is not JSON: " + e.getMessage());
            return;
        }
        JsonSchema s = compiled.computeIfAbsent(key, k -> {
            ObjectNode root = strict(schema.deepCopy());
            root.set("components", strictComponents);
            return SCHEMAS.getSchema(root);
        });
        Set<ValidationMessage> errors = s.validate(value);
        errors.forEach(e -> problems.add(what + ": " + e.getMessage()));
    }

    private static String requestText(Object body) {
        if (body instanceof String s) {
            return s;
        }
        if (body instanceof byte[] b) {
            return new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void load() {
        if (doc != null) {
            return;
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/openapi?format=json")).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /openapi answered " + r.statusCode());
            }
            JsonNode d = JSON.readTree(r.body());
            List<Route> rs = new ArrayList<>();
            d.path("paths").fieldNames().forEachRemaining(t -> {
                String regex = java.util.Arrays.stream(t.split("/", -1))
                        .map(seg -> seg.startsWith("{") && seg.endsWith("}") ? "[^/]+" : Pattern.quote(seg))
                        .collect(Collectors.joining("/"));
                int literals = (int) java.util.Arrays.stream(t.split("/")).filter(seg -> !seg.startsWith("{")).count();
                rs.add(new Route(t, Pattern.compile(regex), literals));
            });
            rs.sort(Comparator.comparingInt(Route::literals).reversed());
            strictComponents = strict(d.path("components").deepCopy());
            JsonNode schemas = strictComponents.path("schemas");
            if (schemas.isObject()) {
                schemas.forEach(OpenApiContract::strict);
            }
            routes = List.copyOf(rs);
            doc = d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Adds additionalProperties: false to every object schema with properties inside {@code schema}. */
    private static <T extends JsonNode> T strict(T schema) {
        if (!(schema instanceof ObjectNode o)) {
            return schema;
        }
        JsonNode props = o.get("properties");
        if (props != null && props.isObject()) {
            if (!o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            props.forEach(OpenApiContract::strict);
        }
        for (String k : List.of("items", "additionalProperties", "not")) {
            strict(o.get(k));
        }
        for (String k : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode list = o.get(k);
            if (list != null && list.isArray()) {
                list.forEach(OpenApiContract::strict);
            }
        }
        return schema;
    }

    private static String iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return String.join(", ", out);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }
}

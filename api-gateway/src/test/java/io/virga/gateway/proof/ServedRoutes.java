package io.virga.gateway.proof;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operations of the served OpenAPI document ({@code GET /openapi?format=json}), and how to send one. */
final class ServedRoutes {
    static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private ServedRoutes() {
    }

    /** One operation: method, path template, and the media type of its request body (null: none). */
    record Operation(String method, String path, String bodyType) {
        boolean mutating() {
            return MUTATING.contains(method);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Operation> read() {
        JsonPath doc = RestAssured.given().accept("application/json").get("/openapi?format=json").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<Operation> out = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((method, op) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            String bodyType = null;
            if (op instanceof Map<?, ?> m && m.get("requestBody") instanceof Map<?, ?> rb
                    && rb.get("content") instanceof Map<?, ?> content && !content.isEmpty()) {
                bodyType = content.containsKey("application/json") ? "application/json"
                        : String.valueOf(content.keySet().iterator().next());
            }
            out.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path, bodyType));
        }));
        out.sort(java.util.Comparator.comparing(Operation::toString));
        return out;
    }

    /** Sends {@code op} on the filled {@code path} with an empty JSON object (or a few bytes) as body. */
    static Response send(RequestSpecification spec, Operation op, String path) {
        return send(spec, op, path, null);
    }

    static Response send(RequestSpecification spec, Operation op, String path, byte[] body) {
        RequestSpecification s = spec.urlEncodingEnabled(false);
        if (op.bodyType() != null || op.mutating()) {
            String type = op.bodyType() == null ? "application/json" : op.bodyType();
            byte[] b = body != null ? body : type.contains("json") ? "{}".getBytes() : new byte[] {1, 2, 3};
            s = s.contentType(type).body(b);
        }
        return s.request(op.method(), path);
    }
}

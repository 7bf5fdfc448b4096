package io.virga.gateway.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.fakes.FakeServicesResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions of the served document (docs/openapi.md) hold for every operation, so an endpoint added
 * without them fails here: operationIds, snake_case properties, the bearer scheme, problem+json errors, real
 * success statuses with schemas, no Jackson internals.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private JsonNode doc;

    @BeforeEach
    void fetch() throws Exception {
        String body = given().accept("application/json").get("/openapi").then().statusCode(200).extract().asString();
        doc = new ObjectMapper().readTree(body);
    }

    /** Calls {@code each} with "METHOD path" and the operation node. */
    private void operations(BiConsumer<String, JsonNode> each) {
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (METHODS.contains(m.getKey())) {
                each.accept(m.getKey().toUpperCase() + " " + p.getKey(), m.getValue());
            }
        }));
    }

    @Test
    void everyOperationHasAUniqueCamelCaseOperationId() {
        Set<String> ids = new HashSet<>();
        List<String> bad = new ArrayList<>();
        operations((name, op) -> {
            String id = op.path("operationId").asText("");
            if (!id.matches("[a-z][A-Za-z0-9]+") || !ids.add(id)) {
                bad.add(name + " -> '" + id + "'");
            }
        });
        assertTrue(bad.isEmpty(), "operations without a unique operationId: " + bad);
        assertTrue(ids.size() >= 80, "expected the whole API, got " + ids.size() + " operations");
    }

    @Test
    void propertyNamesAreSnakeCaseAsOnTheWire() {
        List<String> bad = new ArrayList<>();
        collectProperties(doc, "", bad);
        assertTrue(bad.isEmpty(), "camelCase property names: " + bad);
        JsonNode instance = doc.at("/components/schemas/InstanceView/properties");
        assertTrue(instance.has("project_id") && instance.has("created_at") && instance.has("power_state"),
                "InstanceView: " + instance.fieldNames());
        assertTrue(doc.at("/components/schemas/PageFlavor/properties").has("next_cursor"));
    }

    private static void collectProperties(JsonNode node, String at, List<String> bad) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                props.fields().forEachRemaining(p -> {
                    if (!p.getKey().matches("[a-z0-9_]+")) {
                        bad.add(at + "/" + p.getKey());
                    }
                    collectProperties(p.getValue(), at + "/properties/" + p.getKey(), bad);
                });
            }
            // the values of a properties map are schemas (visited above), its keys are names, not keywords
            node.fields().forEachRemaining(e -> {
                if (!(e.getKey().equals("properties") && e.getValue() == props)) {
                    collectProperties(e.getValue(), at + "/" + e.getKey(), bad);
                }
            });
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                collectProperties(n, at, bad);
            }
        }
    }

    @Test
    void bearerSchemeAppliesToAllButThePublicPaths() {
        assertEquals("http", doc.at("/components/securitySchemes/bearer/type").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/bearer/scheme").asText());
        assertTrue(doc.at("/security/0").has("bearer"), "global security: " + doc.get("security"));
        JsonNode health = doc.at("/paths/~1v1~1health/get");
        assertTrue(health.get("security").isArray() && health.get("security").isEmpty(), "health is public");
        assertFalse(health.path("responses").has("401"));
        List<String> without401 = new ArrayList<>();
        operations((name, op) -> {
            if (!name.endsWith(" /v1/health") && !op.path("responses").has("401")) {
                without401.add(name);
            }
        });
        assertTrue(without401.isEmpty(), "no 401 declared: " + without401);
    }

    @Test
    void everyErrorIsProblemJsonAndEverySuccessHasItsRealStatusAndSchema() {
        List<String> bad = new ArrayList<>();
        operations((name, op) -> {
            boolean success = false;
            Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> r = it.next();
                String status = r.getKey();
                JsonNode content = r.getValue().path("content");
                if (status.startsWith("4") || status.startsWith("5")) {
                    if (!content.path("application/problem+json").path("schema").path("$ref").asText()
                            .equals("#/components/schemas/Problem") || content.size() != 1) {
                        bad.add(name + " " + status + ": not problem+json");
                    }
                } else if (status.startsWith("2")) {
                    success = true;
                    if (status.equals("204") && !content.isMissingNode()) {
                        bad.add(name + " 204 has content");
                    }
                    content.fields().forEachRemaining(mt -> {
                        JsonNode schema = mt.getValue().path("schema");
                        if (schema.isMissingNode() || schema.isEmpty()) {
                            bad.add(name + " " + status + " " + mt.getKey() + ": empty schema");
                        }
                    });
                } else {
                    bad.add(name + " " + status + ": neither success nor error");
                }
            }
            if (!success) {
                bad.add(name + ": no success status");
            }
        });
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void createsAnswerTheirRealStatusWithLocation() {
        assertTrue(doc.at("/paths/~1v1~1flavors/post/responses/201/headers").has("Location"));
        assertFalse(doc.at("/paths/~1v1~1flavors/post/responses").has("200"));
        assertTrue(doc.at("/paths/~1v1~1instances/post/responses/202/headers").has("Location"));
        assertTrue(doc.at("/paths/~1v1~1instances~1{id}/delete/responses").has("202"));
        assertTrue(doc.at("/paths/~1v1~1networks~1{id}/delete/responses").has("204"));
        assertTrue(doc.at("/paths/~1v1~1instances~1{id}/get/responses/200/headers").has("ETag"));
        assertEquals("integer", limitType());
    }

    private String limitType() {
        for (JsonNode p : doc.at("/paths/~1v1~1flavors/get/parameters")) {
            if (p.path("name").asText().equals("limit")) {
                assertEquals(1000, p.at("/schema/maximum").asInt());
                return p.at("/schema/type").asText();
            }
        }
        return "missing";
    }

    @Test
    void requestBodiesAreTheRealOnesNotJacksonInternals() {
        assertFalse(doc.at("/components/schemas").has("JsonNode"), "JsonNode leaks into the document");
        JsonNode create = doc.at("/components/schemas/CreateInstance");
        assertTrue(create.path("required").toString().contains("networks"), create.toString());
        assertEquals("#/components/schemas/CreateInstance",
                doc.at("/paths/~1v1~1instances/post/requestBody/content/application~1json/schema/$ref").asText());
        JsonNode fault = doc.at("/components/schemas/InstanceView/properties/fault");
        assertTrue(fault.toString().contains("null"), "fault is nullable: " + fault);
        JsonNode task = doc.at("/components/schemas/InstanceView/properties/task");
        assertTrue(task.toString().contains("null"), "task is nullable: " + task);
    }
}

package io.virga.gateway.openapi;

import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * The component schema {@code Problem} of every error answer (RFC 9457, {@link io.virga.gateway.error.Problem}):
 * {@code type, title, status, detail, errors[{field, message}]} and the extension members the gateway sets
 * ({@code operation_id} of a busy resource's operation; {@code current_status}, {@code allowed_statuses} of a
 * forbidden transition). Written here, not scanned, because the Java class serializes extensions through
 * {@code @JsonAnyGetter}, which a scanner cannot see.
 */
final class ProblemSchema {
    static final String NAME = "Problem";
    static final String FIELD_ERROR = "FieldError";

    private ProblemSchema() {
    }

    static void register(OpenAPI doc) {
        if (doc.getComponents() == null) {
            doc.setComponents(OASFactory.createComponents());
        }
        Schema fieldError = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("One invalid input: the JSON path of the field (or parameter name) and what is wrong")
                .addProperty("field", string("JSON path of the field, e.g. networks[0].network"))
                .addProperty("message", string("What is wrong with it"))
                .required(List.of("field", "message"));
        Schema problem = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("An error (RFC 9457 problem details), content type application/problem+json")
                .addProperty("type", string("https://virga.dev/problems/<kind>, e.g. .../validation, .../not-found"))
                .addProperty("title", string("Short summary of the kind"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599)).description("HTTP status"))
                .addProperty("detail", string("What went wrong in this request"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().ref("#/components/schemas/" + FIELD_ERROR))
                        .description("The invalid fields (validation problems); empty otherwise"))
                .addProperty("operation_id", string("resource-busy: the operation working on the resource"))
                .addProperty("current_status", string("invalid-state: the resource's current status"))
                .addProperty("allowed_statuses", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .items(OASFactory.createSchema().addType(SchemaType.STRING))
                        .description("invalid-state: the statuses in which the action is allowed"))
                .required(List.of("type", "title", "status", "errors"));
        doc.getComponents().addSchema(FIELD_ERROR, fieldError);
        doc.getComponents().addSchema(NAME, problem);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }
}

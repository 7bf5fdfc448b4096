package io.virga.gateway.openapi;

import io.virga.gateway.api.PageRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Makes the served document ({@code /openapi}) say what the wire does, for every endpoint alike, so that a
 * resource class only declares what is particular to it (see docs/openapi.md):
 * <ul>
 * <li>schema properties in snake_case, as Jackson writes them ({@link SnakeCaseSchemas});</li>
 * <li>properties that are not {@code required} may be {@code null} ({@link NullableFields});</li>
 * <li>the {@code bearer} security scheme on every operation but {@link #PUBLIC_PATHS};</li>
 * <li>the error answers each operation can give, as {@code application/problem+json} of schema
 *     {@code Problem} ({@link ProblemResponses}, {@link ProblemSchema});</li>
 * <li>{@code Location} on every 201 and 202; the {@code Idempotency-Key} header parameter on every POST.</li>
 * </ul>
 * Registered with {@code mp.openapi.filter}; it runs when the document is built (at build time, so the stored
 * copy in {@code target/openapi/} is the served one).
 */
public class OpenApiConventions implements OASFilter {
    /** Paths callable without a token. */
    public static final Set<String> PUBLIC_PATHS = Set.of("/v1/health");
    /**
     * Operation extension naming the error statuses an operation answers beyond the rules of
     * {@link ProblemResponses}, comma separated: {@code @Extension(name = OpenApiConventions.ERRORS, value = "403,412")}.
     * The filter turns it into problem+json responses and removes it from the document. (An {@code @APIResponse}
     * for an error would work too, but it makes SmallRye drop the success response it infers from the return
     * type.)
     */
    public static final String ERRORS = "x-virga-errors";
    /** Name of the security scheme in components.securitySchemes. */
    public static final String BEARER = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI doc) {
        ProblemSchema.register(doc);
        SnakeCaseSchemas.apply(doc);
        security(doc);
        if (doc.getPaths() != null && doc.getPaths().getPathItems() != null) {
            for (Map.Entry<String, PathItem> path : doc.getPaths().getPathItems().entrySet()) {
                boolean isPublic = PUBLIC_PATHS.contains(path.getKey());
                Map<PathItem.HttpMethod, Operation> ops = path.getValue().getOperations();
                if (ops == null) {
                    continue;
                }
                ops.forEach((method, op) -> {
                    if (isPublic) {
                        op.setSecurity(List.of());
                    }
                    if (method == PathItem.HttpMethod.POST) {
                        idempotencyKey(op);
                    }
                    pageParameters(op);
                    declaredErrors(op);
                    ProblemResponses.apply(path.getKey(), method, op, isPublic);
                    locations(op);
                    headerSchemas(op);
                });
            }
        }
        NullableFields.apply(doc);
    }

    private static void security(OpenAPI doc) {
        doc.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("opaque")
                .description("An API token: Authorization: Bearer <token> (./virga up writes the admin's to"
                        + " .virga/admin-token; POST /v1/projects/{project_id}/tokens makes more)"));
        doc.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER)));
    }

    private static void idempotencyKey(Operation op) {
        boolean present = op.getParameters() != null && op.getParameters().stream()
                .anyMatch(p -> "Idempotency-Key".equalsIgnoreCase(p.getName()));
        if (!present) {
            op.addParameter(OASFactory.createParameter().name("Idempotency-Key").in(Parameter.In.HEADER)
                    .description("Makes a retry return the first answer instead of doing the work twice"
                            + " (1-255 visible ASCII characters)")
                    .schema(OASFactory.createSchema().addType(SchemaType.STRING).minLength(1).maxLength(255)));
        }
    }

    /** {@code ?limit=} is an integer 1..1000 (default 100) and {@code ?cursor=} opaque, as PageRequest reads them. */
    private static void pageParameters(Operation op) {
        if (op.getParameters() == null) {
            return;
        }
        for (Parameter p : op.getParameters()) {
            if (p.getIn() != Parameter.In.QUERY) {
                continue;
            }
            if ("limit".equals(p.getName())) {
                p.setSchema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ONE)
                        .maximum(BigDecimal.valueOf(PageRequest.MAX_LIMIT))
                        .defaultValue(PageRequest.DEFAULT_LIMIT));
                p.setDescription("Page size, 1 to " + PageRequest.MAX_LIMIT);
            } else if ("cursor".equals(p.getName()) && p.getDescription() == null) {
                p.setDescription("The next_cursor of the previous page (opaque)");
            }
        }
    }

    private static void declaredErrors(Operation op) {
        if (op.getExtensions() == null || !op.getExtensions().containsKey(ERRORS)) {
            return;
        }
        Object codes = op.getExtensions().get(ERRORS);
        op.removeExtension(ERRORS);
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        for (String code : String.valueOf(codes).split(",")) {
            String status = code.trim();
            if (!status.matches("[45]\\d\\d")) {
                throw new IllegalArgumentException(ERRORS + " lists " + status + ", not an error status");
            }
            if (op.getResponses().getAPIResponse(status) == null) {
                op.getResponses().addAPIResponse(status, OASFactory.createAPIResponse());
            }
        }
    }

    /** A response header declared by name only ({@code @Header(name = "ETag")}) is a string. */
    private static void headerSchemas(Operation op) {
        op.getResponses().getAPIResponses().values().forEach(r -> {
            if (r.getHeaders() != null) {
                r.getHeaders().forEach((name, h) -> {
                    if (h.getSchema() == null && h.getContent() == null && h.getRef() == null) {
                        h.setSchema(OASFactory.createSchema().addType(SchemaType.STRING));
                    }
                    if (h.getDescription() == null && "ETag".equals(name)) {
                        h.setDescription("The resource's version, for If-Match");
                    }
                });
            }
        });
    }

    private static void locations(Operation op) {
        for (String status : List.of("201", "202")) {
            APIResponse r = op.getResponses().getAPIResponse(status);
            if (r != null && (r.getHeaders() == null || !r.getHeaders().containsKey("Location"))) {
                r.addHeader("Location", OASFactory.createHeader()
                        .description("201: the new resource; 202: the operation doing the work (/v1/operations/{id})")
                        .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
            }
        }
    }
}

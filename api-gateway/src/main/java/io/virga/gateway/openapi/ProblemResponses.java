package io.virga.gateway.openapi;

import io.virga.gateway.error.Problem;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The error answers every operation can give, by rule, each with an {@code application/problem+json}
 * body of schema {@code Problem}. The rules follow the code paths that produce them:
 * <table>
 * <caption>rules</caption>
 * <tr><th>status</th><th>declared on</th><th>why</th></tr>
 * <tr><td>400</td><td>operations with a request body, a query or a header parameter</td>
 *     <td>field validation, malformed JSON, bad cursor / limit ({@code Checks}, {@code PageRequest})</td></tr>
 * <tr><td>401</td><td>every operation but the public ones</td><td>no or unknown bearer token</td></tr>
 * <tr><td>403</td><td>every operation that is not a GET</td><td>a reader's write, quota exceeded</td></tr>
 * <tr><td>404</td><td>operations with a path parameter</td><td>unknown id, or another project's</td></tr>
 * <tr><td>409</td><td>every operation that is not a GET</td><td>busy resource, forbidden state transition,
 *     in use, running Idempotency-Key</td></tr>
 * <tr><td>413, 422</td><td>every POST</td><td>body over 1 MiB; Idempotency-Key reused with another body</td></tr>
 * <tr><td>415</td><td>operations with a request body</td><td>wrong Content-Type</td></tr>
 * <tr><td>503</td><td>every operation</td><td>the database or a service is unreachable (Retry-After)</td></tr>
 * </table>
 * Anything else an operation can answer (a 403 on an admin-only GET, a 404 for a referenced resource in a
 * body, 412 on If-Match) is declared on the method with {@code @APIResponse(responseCode = "...")}; a
 * declared error response without content gets the problem body and, without description, the standard one.
 */
final class ProblemResponses {
    static final String PROBLEM_REF = "#/components/schemas/" + ProblemSchema.NAME;

    /** Standard descriptions of the error statuses. */
    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("400", "Invalid request: a field, a query parameter or the JSON body is wrong (errors name the fields)"),
            Map.entry("401", "No bearer token, or an unknown, expired or revoked one"),
            Map.entry("403", "The token's role does not allow this, or a quota would be exceeded"),
            Map.entry("404", "No such resource (or it belongs to another project)"),
            Map.entry("405", "Method not allowed on this resource"),
            Map.entry("409", "Conflict: the resource is busy, in use, or in a state that does not allow this"),
            Map.entry("412", "If-Match does not match the current ETag (the resource changed since it was read)"),
            Map.entry("413", "The request body is larger than 1 MiB"),
            Map.entry("415", "The request body's Content-Type is not supported"),
            Map.entry("422", "The Idempotency-Key was used before with a different request"),
            Map.entry("429", "Too many requests: retry after the Retry-After seconds"),
            Map.entry("502", "A service behind the gateway failed"),
            Map.entry("503", "The database or a service is unreachable now; retry after the Retry-After seconds"));

    private ProblemResponses() {
    }

    /** Adds the rule-based error responses to {@code op} ({@code method} of {@code path}). */
    static void apply(String path, PathItem.HttpMethod method, Operation op, boolean isPublic) {
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        boolean hasBody = op.getRequestBody() != null;
        boolean hasQueryOrHeader = op.getParameters() != null && op.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.QUERY || p.getIn() == Parameter.In.HEADER);
        boolean mutating = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        boolean post = method == PathItem.HttpMethod.POST;
        if (hasBody || hasQueryOrHeader || post) {
            add(responses, "400");
        }
        if (!isPublic) {
            add(responses, "401");
        }
        if (mutating && !isPublic) {
            add(responses, "403");
            add(responses, "409");
        }
        if (path.contains("{")) {
            add(responses, "404");
        }
        if (post) {
            add(responses, "413");
            add(responses, "422");
        }
        if (hasBody) {
            add(responses, "415");
        }
        add(responses, "503");
        completeErrors(responses);
    }

    private static void add(APIResponses responses, String status) {
        if (responses.getAPIResponse(status) == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse());
        }
    }

    /** Every 4xx/5xx gets the problem body, a description and (429, 503) the Retry-After header. */
    private static void completeErrors(APIResponses responses) {
        Map<String, APIResponse> sorted = new TreeMap<>(responses.getAPIResponses());
        for (Map.Entry<String, APIResponse> e : sorted.entrySet()) {
            String status = e.getKey();
            if (!(status.startsWith("4") || status.startsWith("5"))) {
                continue;
            }
            APIResponse r = e.getValue();
            if (r.getDescription() == null || r.getDescription().isBlank()) {
                r.setDescription(DESCRIPTIONS.getOrDefault(status, "Error"));
            }
            if (r.getContent() != null && r.getContent().getMediaTypes() != null
                    && r.getContent().getMediaTypes().containsKey(Problem.MEDIA_TYPE)
                    && r.getContent().getMediaTypes().get(Problem.MEDIA_TYPE).getSchema() == null) {
                // declared as problem+json without a schema: it is the Problem
                r.getContent().getMediaTypes().get(Problem.MEDIA_TYPE)
                        .setSchema(OASFactory.createSchema().ref(PROBLEM_REF));
            }
            if (r.getContent() == null || r.getContent().getMediaTypes() == null
                    || r.getContent().getMediaTypes().isEmpty()) {
                r.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF))));
            }
            if ((status.equals("503") || status.equals("429"))
                    && (r.getHeaders() == null || !r.getHeaders().containsKey("Retry-After"))) {
                r.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                        .schema(OASFactory.createSchema().addType(
                                org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER)));
            }
        }
        // keep the responses ordered by status in the document
        responses.setAPIResponses(new java.util.LinkedHashMap<>(sorted));
    }
}

package io.virga.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer of the API that is not a success: its HTTP status and what the
 * {@code application/problem+json} body says ({@code title}, {@code detail},
 * {@code errors[{field, message}]} and extension members such as
 * {@code current_status}). {@link #oneLine()} is what the CLI prints.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String title;
    private final String detail;
    private final List<String> fieldErrors;
    private final String hint;

    /**
     * @param status  the HTTP status
     * @param problem the parsed body, or null when it was not JSON
     * @param rawBody the body as text (used when it is not a problem document)
     */
    public static ApiError of(int status, JsonNode problem, String rawBody) {
        String title = text(problem, "title");
        String detail = text(problem, "detail");
        if (detail == null && problem == null && rawBody != null && !rawBody.isBlank()) {
            detail = rawBody.strip().lines().findFirst().orElse("");
            if (detail.length() > 200) {
                detail = detail.substring(0, 200) + "…";
            }
        }
        List<String> fields = new ArrayList<>();
        if (problem != null && problem.path("errors").isArray()) {
            for (JsonNode e : problem.get("errors")) {
                fields.add(e.path("field").asText("?") + ": " + e.path("message").asText(""));
            }
        }
        StringBuilder extra = new StringBuilder();
        if (problem != null && problem.hasNonNull("current_status")) {
            String current = problem.get("current_status").asText();
            List<String> allowed = new ArrayList<>();
            problem.path("allowed_statuses").forEach(a -> allowed.add(a.asText()));
            // said once: only when the detail does not name the states already
            String said = detail == null ? "" : detail;
            if (!said.contains(current) || !allowed.stream().allMatch(said::contains)) {
                extra.append("current status ").append(current);
                if (!allowed.isEmpty()) {
                    extra.append(", allowed in ").append(String.join(", ", allowed));
                }
            }
        }
        if (problem != null && problem.hasNonNull("operation_id")) {
            extra.append(extra.length() > 0 ? "; " : "").append("busy with operation ")
                    .append(problem.get("operation_id").asText()).append(" (virga operation show ")
                    .append(problem.get("operation_id").asText()).append(")");
        }
        return new ApiError(status, title == null ? reason(status) : title, detail, fields,
                extra.length() == 0 ? hintFor(status) : extra.toString());
    }

    /** An error found by the CLI itself in the API's answers (e.g. no resource of that name). */
    public static ApiError local(int status, String detail) {
        return new ApiError(status, reason(status), detail, List.of(), null);
    }

    ApiError(int status, String title, String detail, List<String> fieldErrors, String hint) {
        super(status + " " + title + ": " + detail);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.fieldErrors = List.copyOf(fieldErrors);
        this.hint = hint;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem's detail, or null. */
    public String detail() {
        return detail;
    }

    /** Every invalid field as {@code field: message}. */
    public List<String> fieldErrors() {
        return fieldErrors;
    }

    /**
     * One line: {@code error 400 Invalid request: flavor: no flavor named x; image: is required}. Field
     * errors replace the detail (which only names the first of them); a hint of what to do follows in
     * parentheses where there is one (401, 403, 409 with the allowed states).
     */
    public String oneLine() {
        StringBuilder b = new StringBuilder("error ").append(status).append(' ').append(title);
        if (!fieldErrors.isEmpty()) {
            b.append(": ").append(String.join("; ", fieldErrors));
        } else if (detail != null && !detail.isBlank()) {
            b.append(": ").append(detail);
        }
        if (hint != null) {
            b.append(" (").append(hint).append(')');
        }
        return b.toString();
    }

    private static String hintFor(int status) {
        return switch (status) {
            case 401 -> "check --token, VIRGA_TOKEN or .virga/admin-token";
            case 403 -> null;
            case 503 -> "the cloud is not ready or a service is down; ./virga status shows it";
            default -> null;
        };
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 412 -> "Precondition failed";
            case 429 -> "Too many requests";
            case 500 -> "Internal server error";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            default -> "HTTP error";
        };
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }
}

package io.virga.gateway.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The RFC 9457 body: {@code {type, title, status, detail, errors:[{field, message}]}}
 * plus extension members where a problem has more to say (e.g. {@code operation_id}
 * of the operation that keeps a resource busy, {@code current_status} and
 * {@code allowed_statuses} of a forbidden action).
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "errors"})
public final class Problem {
    public static final String MEDIA_TYPE = "application/problem+json";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public Problem(String type, String title, int status, String detail, List<FieldError> errors,
                   Map<String, Object> extensions) {
        this.type = type;
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.errors = errors;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static Problem of(ApiException e) {
        return new Problem(e.type(), e.title(), e.status(), e.detail(), e.errors(), e.extensions());
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public List<FieldError> getErrors() {
        return errors;
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extensions;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String title() {
        return title;
    }
}

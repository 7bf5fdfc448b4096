package io.virga.gateway.error;

import java.util.List;

/** The RFC 9457 body: {@code {type, title, status, detail, errors:[{field, message}]}}. */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ApiException e) {
        return new Problem(e.type(), e.title(), e.status(), e.detail(), e.errors());
    }
}

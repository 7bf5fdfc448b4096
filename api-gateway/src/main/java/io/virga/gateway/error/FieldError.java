package io.virga.gateway.error;

/** One invalid input field of a request: the JSON path and what is wrong with it. */
public record FieldError(String field, String message) {
}

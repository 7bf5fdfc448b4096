package io.virga.gateway.idempotency;

import jakarta.ws.rs.core.Response;

/**
 * The request lost the race for its {@code Idempotency-Key} inside the work's
 * transaction: the work was rolled back and {@link #response()} (the first
 * request's answer, or a 422/409 problem) is sent instead. Mapped by
 * {@link IdempotencyFilters#map(IdempotentAnswerException)}.
 */
public final class IdempotentAnswerException extends RuntimeException {
    private final transient Response response;

    public IdempotentAnswerException(Response response) {
        super("the Idempotency-Key already has an answer", null, false, false);
        this.response = response;
    }

    public Response response() {
        return response;
    }
}

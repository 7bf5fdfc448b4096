package io.virga.gateway.idempotency;

import jakarta.enterprise.context.RequestScoped;

/**
 * The current request's in-transaction key guard, set by
 * {@link IdempotencyFilters} for methods marked {@link KeyedInTransaction}
 * when the request carries a key; {@link KeyGuard#NONE} otherwise.
 */
@RequestScoped
public class IdempotencyScope {
    private KeyGuard guard = KeyGuard.NONE;

    void set(KeyGuard guard) {
        this.guard = guard;
    }

    public KeyGuard guard() {
        return guard;
    }
}

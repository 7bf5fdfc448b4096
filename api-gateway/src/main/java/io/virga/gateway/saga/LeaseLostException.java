package io.virga.gateway.saga;

/**
 * This process no longer holds a saga's lease: another runner took it over
 * (the lease expired first) or the saga was released. Whoever sees it stops
 * working on that saga and writes nothing for it.
 */
final class LeaseLostException extends RuntimeException {
    LeaseLostException() {
        super("saga lease lost", null, false, false);
    }
}

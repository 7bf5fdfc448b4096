package io.virga.gateway.workflow;

import java.sql.Connection;

/**
 * Database work of a step, run in the same transaction that saves the
 * workflow's progress (so both happen or neither).
 */
@FunctionalInterface
public interface TxWork {
    TxWork NONE = c -> {
    };

    void apply(Connection c) throws Exception;

    /** This work, then {@code next}. */
    default TxWork andThen(TxWork next) {
        return c -> {
            apply(c);
            next.apply(c);
        };
    }
}

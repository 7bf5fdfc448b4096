package io.virga.gateway.saga;

import io.virga.gateway.instance.Instance;
import java.sql.Connection;

/**
 * Database work of a step, run in the same transaction that saves the
 * saga's progress (so both happen or neither). Gets the instance as it is now.
 */
@FunctionalInterface
public interface TxWork {
    TxWork NONE = (c, instance) -> {
    };

    void apply(Connection c, Instance instance) throws Exception;
}

package io.virga.gateway.api;

import io.virga.platform.db.Tx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** Produces the gateway's {@link Tx} over the default datasource; inject {@code Tx} anywhere. */
@Singleton
public class Transactions {
    private final Tx tx;

    public Transactions(DataSource dataSource) {
        this.tx = new Tx(dataSource);
    }

    @Produces
    @Singleton
    public Tx tx() {
        return tx;
    }
}

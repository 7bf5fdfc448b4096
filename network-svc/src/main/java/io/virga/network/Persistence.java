package io.virga.network;

import io.virga.platform.db.Tx;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** Makes the platform's transaction helper injectable. */
public class Persistence {

    @Produces
    @Singleton
    Tx tx(DataSource dataSource) {
        return new Tx(dataSource);
    }
}

package io.virga.devstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Connections and databases on a devstack PostgreSQL known only by its port (for
 * callers that did not start it, e.g. another class loader of the same test JVM).
 * User {@value PostgresServer#USER}, trust authentication.
 */
public final class PgDatabases {

    private static final Pattern DB_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PgDatabases() {
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<db>}. */
    public static String jdbcUrl(int port, String db) {
        return "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port + "/" + db;
    }

    /** A new connection to {@code db} as {@value PostgresServer#USER}; the caller closes it. */
    public static Connection connect(int port, String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", PostgresServer.USER);
        props.setProperty("password", PostgresServer.USER);
        props.setProperty("connectTimeout", "5");
        // the driver instance directly: DriverManager may not see it from test class loaders
        return new org.postgresql.Driver().connect(jdbcUrl(port, db), props);
    }

    /**
     * Creates database {@code name} unless it exists. Idempotent, also when several
     * callers race.
     *
     * @param name lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
     * @throws IllegalArgumentException for any other name
     * @throws DevstackException when the server refuses
     */
    public static void create(int port, String name) {
        if (!DB_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DB_NAME + ": " + name);
        }
        try (Connection c = connect(port, "postgres")) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) { // duplicate_database: another caller won the race
                return;
            }
            throw new DevstackException("PostgreSQL on port " + port + ": cannot create database " + name
                    + ": " + e.getMessage(), e);
        }
    }
}

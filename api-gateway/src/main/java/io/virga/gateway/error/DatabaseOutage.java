package io.virga.gateway.error;

import java.sql.SQLException;

/**
 * Whether a failure means the gateway's database cannot be reached now (a temporary condition the client
 * should retry, answered 503 with {@code Retry-After}) rather than a bug (500): an SQL state of class
 * {@code 08} (connection exception), {@code 57P01..57P03} (the server shuts down or cannot take connections
 * yet), or the connection pool giving up waiting for a connection.
 */
final class DatabaseOutage {
    private DatabaseOutage() {
    }

    static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && outage(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean outage(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"))) {
            return true;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("acquisition timeout") || message.contains("connection refused")
                || message.contains("this connection has been closed");
    }
}

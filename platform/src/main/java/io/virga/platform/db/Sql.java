package io.virga.platform.db;

import java.sql.SQLException;

/** Small helpers to read PostgreSQL errors. */
public final class Sql {
    private Sql() {
    }

    /** True when {@code e} (or a cause) is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isUniqueViolation(Throwable e) {
        return hasState(e, "23505");
    }

    /** True when {@code e} (or a cause) is a serialization failure or deadlock (40001, 40P01). */
    public static boolean isRetryable(Throwable e) {
        return hasState(e, "40001") || hasState(e, "40P01");
    }

    private static boolean hasState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && state.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

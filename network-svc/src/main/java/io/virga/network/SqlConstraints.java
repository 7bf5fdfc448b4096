package io.virga.network;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Which named constraint a PostgreSQL error violated. */
public final class SqlConstraints {
    private SqlConstraints() {
    }

    /** The constraint named by {@code e} or one of its causes, if any. */
    public static Optional<String> violated(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p) {
                ServerErrorMessage m = p.getServerErrorMessage();
                if (m != null && m.getConstraint() != null) {
                    return Optional.of(m.getConstraint());
                }
            }
        }
        return Optional.empty();
    }

    /** True when {@code e} is a unique violation of the constraint {@code name}. */
    public static boolean isUniqueViolation(SQLException e, String name) {
        return "23505".equals(e.getSQLState()) && violated(e).filter(name::equals).isPresent();
    }
}

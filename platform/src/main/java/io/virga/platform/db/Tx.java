package io.virga.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one JDBC transaction: commit when the work returns, rollback
 * when it throws (and rethrow). The connection is always closed.
 */
public final class Tx {
    /** Work done with the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws Exception;
    }

    private final DataSource dataSource;

    public Tx(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in a transaction. RuntimeExceptions pass through
     * unchanged (after rollback); checked exceptions are wrapped in
     * {@link TxException}.
     */
    public <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (Exception e) {
                rollbackQuietly(c, e);
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new TxException(e);
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new TxException(e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** A checked failure inside a transaction (SQL or other), after rollback. */
    public static final class TxException extends RuntimeException {
        public TxException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }
}

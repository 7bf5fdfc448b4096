package io.virga.platform.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every service answers a unary gRPC call, so that all of them fail the same way:
 * <ul>
 *   <li>the value, then completion;</li>
 *   <li>a {@link StatusRuntimeException} the domain raised, as is (field errors keep their
 *       {@code google.rpc.BadRequest} details, see {@link GrpcErrors});</li>
 *   <li>a failure caused by the service's database being unreachable (SQL state class 08, or 57P
 *       "shutting down"): UNAVAILABLE, which callers treat as a temporary outage (503, retry);</li>
 *   <li>anything else is a bug: logged with its stack, INTERNAL naming the method and the exception
 *       class (never its message, which may carry data).</li>
 * </ul>
 */
public final class Unary {
    private static final Logger LOG = Logger.getLogger(Unary.class);

    private Unary() {
    }

    public static <T> void answer(StreamObserver<T> response, String method, Supplier<T> work) {
        T value;
        try {
            value = work.get();
        } catch (RuntimeException e) {
            response.onError(failure(method, e));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    /** The status a failed call answers (see the class contract). */
    public static StatusRuntimeException failure(String method, Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (databaseUnreachable(e)) {
            LOG.warnf("%s failed: database unreachable (%s)", method, e.toString());
            return Status.UNAVAILABLE.withDescription(method + " failed: database unavailable")
                    .withCause(e).asRuntimeException();
        }
        LOG.errorf(e, "%s failed", method);
        return Status.INTERNAL.withDescription(method + " failed: " + e.getClass().getSimpleName())
                .withCause(e).asRuntimeException();
    }

    static boolean databaseUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}

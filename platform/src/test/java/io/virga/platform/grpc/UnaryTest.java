package io.virga.platform.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class UnaryTest {
    @Test
    void domainErrorsPassAsTheyAre() {
        StatusRuntimeException e = GrpcErrors.invalidArgument("name", "required");
        assertSame(e, Unary.failure("CreateNetwork", e));
    }

    @Test
    void anUnreachableDatabaseIsATemporaryOutage() {
        RuntimeException e = new IllegalStateException("tx failed",
                new SQLTransientConnectionException("Connection refused", "08001"));
        assertEquals(Status.Code.UNAVAILABLE, Unary.failure("GetVolume", e).getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, Unary.failure("GetVolume",
                new RuntimeException(new SQLException("terminating connection", "57P01"))).getStatus().getCode());
    }

    @Test
    void anythingElseIsInternalWithoutItsMessage() {
        StatusRuntimeException e = Unary.failure("GetVolume", new NullPointerException("secret detail"));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals("GetVolume failed: NullPointerException", e.getStatus().getDescription());
        assertEquals(Status.Code.INTERNAL, Unary.failure("X",
                new RuntimeException(new SQLException("duplicate key", "23505"))).getStatus().getCode());
    }
}

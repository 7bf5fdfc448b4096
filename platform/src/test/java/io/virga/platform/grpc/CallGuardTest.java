package io.virga.platform.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CallGuard and the field-violation details against a real gRPC server on loopback. */
class CallGuardTest {
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> READ = method("Read", true);
    private static final MethodDescriptor<String, String> WRITE = method("Write", false);
    private static final CallGuard.Policy FAST = new CallGuard.Policy(3, Duration.ofMillis(200),
            Duration.ofSeconds(3), Duration.ofMillis(10), Duration.ofMillis(100));

    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void retriesAnIdempotentCallThatCouldNotReachThePeer() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        int port = serve(req -> calls.incrementAndGet() <= 2 ? fail(Status.UNAVAILABLE) : "ok " + req);
        CallGuard guard = new CallGuard("svc", FAST);
        assertEquals("ok x", call(port, guard, READ, "x"));
        assertEquals(3, calls.get(), "two refusals, then the answer");
        assertEquals(CircuitBreaker.State.CLOSED, guard.breaker().state());
    }

    @Test
    void neverRetriesAWriteThatMayHaveHappened() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        int port = serve(req -> {
            calls.incrementAndGet();
            return fail(Status.UNAVAILABLE);
        });
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(port, new CallGuard("svc", FAST), WRITE, "x"));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(1, calls.get());
    }

    @Test
    void stopsRetryingWhenTheBudgetIsSpent() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        int port = serve(req -> {
            calls.incrementAndGet();
            return fail(Status.UNAVAILABLE);
        });
        CallGuard.Policy noBreaker = new CallGuard.Policy(1_000, Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMillis(20), Duration.ofMillis(40));
        long start = System.nanoTime();
        assertThrows(StatusRuntimeException.class, () -> call(port, new CallGuard("svc", noBreaker), READ, "x"));
        assertTrue(calls.get() > 1, "retried at least once: " + calls.get());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000, "gave up within its budget");
    }

    @Test
    void opensTheBreakerOnADeadPeerAndClosesWhenItIsBack() throws Exception {
        int port = freePort();
        CallGuard guard = new CallGuard("host-1", FAST);
        for (int i = 0; i < 3 && guard.breaker().state() == CircuitBreaker.State.CLOSED; i++) {
            assertThrows(StatusRuntimeException.class, () -> call(port, guard, WRITE, "x"));
        }
        assertEquals(CircuitBreaker.State.OPEN, guard.breaker().state());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> call(port, guard, WRITE, "x"));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("circuit open"), refused.getMessage());

        serveOn(port, req -> "back");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                assertEquals("back", call(port, guard, WRITE, "x"));
                break;
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
        assertEquals(CircuitBreaker.State.CLOSED, guard.breaker().state());
    }

    @Test
    void anErrorAnswerProvesThePeerIsAlive() throws IOException {
        int port = serve(req -> fail(Status.NOT_FOUND));
        CallGuard guard = new CallGuard("svc", FAST);
        for (int i = 0; i < 5; i++) {
            assertThrows(StatusRuntimeException.class, () -> call(port, guard, WRITE, "x"));
        }
        assertEquals(CircuitBreaker.State.CLOSED, guard.breaker().state());
    }

    @Test
    void fieldViolationsCrossTheWireAsBadRequestDetails() throws IOException {
        int port = serve(req -> {
            throw GrpcErrors.invalid(List.of(new GrpcErrors.Violation("cidr", "must be an IPv4 CIDR"),
                    new GrpcErrors.Violation("gateway_ip", "must lie inside cidr")));
        });
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(port, new CallGuard("svc", FAST), WRITE, "x"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of(new GrpcErrors.Violation("cidr", "must be an IPv4 CIDR"),
                new GrpcErrors.Violation("gateway_ip", "must lie inside cidr")), FieldViolations.of(e));
        assertEquals("cidr: must be an IPv4 CIDR; gateway_ip: must lie inside cidr", e.getStatus().getDescription());
        assertEquals(List.of(), FieldViolations.of(Status.NOT_FOUND.asRuntimeException()));
    }

    private String call(int port, CallGuard guard, MethodDescriptor<String, String> method, String request) {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }
        return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, guard), method,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    private int serve(Function<String, String> handler) throws IOException {
        int port = freePort();
        serveOn(port, handler);
        return port;
    }

    private void serveOn(int port, Function<String, String> handler) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Guarded")
                .addMethod(READ, ServerCalls.asyncUnaryCall((req, out) -> answer(handler, req, out)))
                .addMethod(WRITE, ServerCalls.asyncUnaryCall((req, out) -> answer(handler, req, out)))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).addService(service)
                .build().start();
    }

    private static void answer(Function<String, String> handler, String req,
                               io.grpc.stub.StreamObserver<String> out) {
        try {
            out.onNext(handler.apply(req));
            out.onCompleted();
        } catch (StatusRuntimeException e) {
            out.onError(e);
        }
    }

    private static String fail(Status status) {
        throw status.asRuntimeException();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static MethodDescriptor<String, String> method(String name, boolean safe) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Guarded", name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT)
                .setSafe(safe).setIdempotent(safe)
                .build();
    }
}

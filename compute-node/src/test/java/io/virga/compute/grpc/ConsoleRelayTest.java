package io.virga.compute.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.virga.contracts.compute.v1.ConsoleFrame;
import io.virga.hypervisor.GuestNotFoundException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's console relay against a real unix-socket server standing in for QEMU's VNC server. */
class ConsoleRelayTest {
    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static final String ID = "i-7kq2m9x4b1c8";

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private Path socket;

    @BeforeEach
    void listen() throws IOException {
        socket = dir.resolve("vnc.sock");
        server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }

    private SocketChannel connect(String id) {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsoleFrame frame(String id, String data) {
        return ConsoleFrame.newBuilder().setInstanceId(id).setData(ByteString.copyFromUtf8(data)).build();
    }

    @Test
    void bytesFlowBothWaysAndTheCallersEndClosesTheServerConnection() throws Exception {
        UnicastProcessor<ConsoleFrame> caller = UnicastProcessor.create();
        AtomicReference<String> openedFor = new AtomicReference<>();
        AssertSubscriber<ConsoleFrame> out = ConsoleRelay.relay(caller, id -> {
            openedFor.set(id);
            return connect(id);
        }).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

        caller.onNext(frame(ID, "hello"));
        try (SocketChannel guest = server.accept()) {
            assertEquals(ID, openedFor.get());
            assertEquals("hello", read(guest, 5));
            guest.write(ByteBuffer.wrap("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)));
            out.awaitItems(1, BUDGET);
            assertEquals("RFB 003.008\n", out.getItems().get(0).getData().toStringUtf8());
            caller.onNext(frame("", "keys"));
            assertEquals("keys", read(guest, 4));

            caller.onComplete();
            assertEquals(-1, guest.read(ByteBuffer.allocate(1)), "the node closed its VNC connection");
            out.awaitCompletion(BUDGET);
        }
    }

    @Test
    void theServerClosingCompletesTheCall() throws Exception {
        UnicastProcessor<ConsoleFrame> caller = UnicastProcessor.create();
        AssertSubscriber<ConsoleFrame> out = ConsoleRelay.relay(caller, this::connect)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        caller.onNext(frame(ID, ""));
        server.accept().close();
        out.awaitCompletion(BUDGET);
    }

    @Test
    void anUnknownGuestFailsTheCallWithNotFound() {
        AssertSubscriber<ConsoleFrame> out = ConsoleRelay.relay(Multi.createFrom().item(frame(ID, "")), id -> {
            throw new GuestNotFoundException(id);
        }).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        out.awaitFailure(BUDGET);
        assertEquals(Status.Code.NOT_FOUND, ((StatusRuntimeException) out.getFailure()).getStatus().getCode());
    }

    @Test
    void aFirstFrameWithoutAnInstanceIdIsInvalid() {
        AssertSubscriber<ConsoleFrame> out = ConsoleRelay.relay(Multi.createFrom().item(frame("", "x")), this::connect)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        out.awaitFailure(BUDGET);
        Status s = ((StatusRuntimeException) out.getFailure()).getStatus();
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertTrue(s.getDescription().contains("instance_id"), s.getDescription());
    }

    private static String read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // until n bytes arrived
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }
}

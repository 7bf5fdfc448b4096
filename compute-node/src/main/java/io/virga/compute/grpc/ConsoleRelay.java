package io.virga.compute.grpc;

import com.google.protobuf.ByteString;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.virga.contracts.compute.v1.ConsoleFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One {@code GraphicalConsole} call: relays RFB bytes between the gRPC caller and a connection to the
 * guest's VNC server that the driver opens. The caller's first frame names the guest; the connection is
 * opened then (on a worker thread) and read by a thread of its own in chunks of at most {@link #CHUNK}
 * bytes. Toward the caller at most {@link #MAX_QUEUED} chunks wait (RFB paces itself: the server sends a
 * screen update only when the viewer asks for one, so the queue stays short); a viewer that lets more pile
 * up is cut off (the call fails, the connection closes).
 *
 * <pre>
 * state      | event                           | next
 * -----------+---------------------------------+------------------------------------------
 * WAITING    | first frame (instance_id)       | OPEN (connected; its data written) or FAILED
 * OPEN       | frame from the caller           | OPEN (data written to the server)
 * OPEN       | server closes / read fails      | CLOSED (call completed)
 * OPEN       | caller ends, fails or cancels   | CLOSED (connection closed)
 * any        | open fails                      | FAILED (status: NOT_FOUND, FAILED_PRECONDITION, …)
 * </pre>
 * Nothing of the bytes is logged; the log says only who opened and closed which guest's console.
 */
final class ConsoleRelay {
    static final int CHUNK = 32 * 1024;
    static final int MAX_QUEUED = 64;
    private static final Logger LOG = Logger.getLogger(ConsoleRelay.class);

    private final Function<String, SocketChannel> opener;
    private final MultiEmitter<? super ConsoleFrame> out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Cancellable upstream;
    private volatile SocketChannel channel;
    private String instanceId;

    private ConsoleRelay(Function<String, SocketChannel> opener, MultiEmitter<? super ConsoleFrame> out) {
        this.opener = opener;
        this.out = out;
    }

    /**
     * The frames toward the caller of one console call on {@code requests}; {@code opener} validates the id
     * and opens the connection (throwing what {@link ComputeErrors} maps).
     */
    static Multi<ConsoleFrame> relay(Multi<ConsoleFrame> requests, Function<String, SocketChannel> opener) {
        return Multi.createFrom().<ConsoleFrame>emitter(em -> {
            ConsoleRelay r = new ConsoleRelay(opener, em);
            em.onTermination(r::close);
            r.upstream = requests.emitOn(Infrastructure.getDefaultWorkerPool()).subscribe()
                    .with(r::onFrame, r::onCallerFailure, r::close);
        }, BackPressureStrategy.ERROR).onOverflow().buffer(MAX_QUEUED);
    }

    private void onFrame(ConsoleFrame frame) {
        if (closed.get()) {
            return;
        }
        try {
            if (channel == null) {
                instanceId = SpawnRequests.instanceId(frame.getInstanceId());
                channel = opener.apply(instanceId);
                LOG.infof("graphical console of %s opened", instanceId);
                Thread reader = new Thread(this::readServer, "console-" + instanceId);
                reader.setDaemon(true);
                reader.start();
            }
            ByteBuffer data = frame.getData().asReadOnlyByteBuffer();
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } catch (IOException e) {
            close();
        } catch (RuntimeException e) {
            out.fail(ComputeErrors.toStatus(e));
            close();
        }
    }

    /** The server's bytes, chunk by chunk, until it closes or the relay does. */
    private void readServer() {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try {
            while (!closed.get() && channel.read(buf) >= 0) {
                buf.flip();
                if (buf.hasRemaining()) {
                    out.emit(ConsoleFrame.newBuilder().setData(ByteString.copyFrom(buf)).build());
                }
                buf.clear();
            }
        } catch (IOException e) {
            // closed under us (the caller left) or the server went away: either way the session ends
        }
        out.complete();
        close();
    }

    private void onCallerFailure(Throwable t) {
        close();
    }

    /** Idempotent: closes the connection, stops reading the caller, completes the call. */
    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Cancellable u = upstream;
        if (u != null) {
            u.cancel();
        }
        SocketChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing left to release
            }
            LOG.infof("graphical console of %s closed", instanceId);
        }
        out.complete();
    }
}

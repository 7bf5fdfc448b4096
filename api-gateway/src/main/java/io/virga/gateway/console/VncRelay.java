package io.virga.gateway.console;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import io.virga.contracts.compute.v1.ComputeServiceGrpc;
import io.virga.contracts.compute.v1.ConsoleFrame;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One browser's graphical console: the WebSocket {@code browser} bridged to the compute node's
 * {@code GraphicalConsole} stream of {@code instanceId}. Node → browser is paced by the browser: one frame
 * (at most 32 KiB) is in the gateway at a time, the next is asked of the node only once the WebSocket has
 * taken the previous one, so a slow browser slows the node's reads instead of filling memory. Browser →
 * node frames (keys, pointer, update requests: small) are passed on as they come, each at most
 * {@link #MAX_INBOUND} bytes.
 *
 * <pre>
 * state  | event                                   | next
 * -------+-----------------------------------------+--------------------------------------------
 * OPEN   | browser frame                           | OPEN (sent to the node)
 * OPEN   | node frame                              | OPEN (sent to the browser, then one more asked)
 * OPEN   | browser closes                          | CLOSED (node stream half-closed)
 * OPEN   | node completes                          | CLOSED (WebSocket closed 1000)
 * OPEN   | node fails (NOT_FOUND, unreachable, …)  | CLOSED (WebSocket closed 1011 with the reason)
 * </pre>
 * The bytes are never logged.
 */
final class VncRelay implements ClientResponseObserver<ConsoleFrame, ConsoleFrame> {
    static final int MAX_INBOUND = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(VncRelay.class);

    private final WebSocketConnection browser;
    private final String instanceId;
    private final ConsoleMetrics metrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ClientCallStreamObserver<ConsoleFrame> node;

    private VncRelay(WebSocketConnection browser, String instanceId, ConsoleMetrics metrics) {
        this.browser = browser;
        this.instanceId = instanceId;
        this.metrics = metrics;
    }

    /** Starts the node's stream for {@code instanceId} and bridges it to {@code browser}. */
    static VncRelay start(ComputeServiceGrpc.ComputeServiceStub stub, WebSocketConnection browser, String instanceId,
                          ConsoleMetrics metrics) {
        VncRelay relay = new VncRelay(browser, instanceId, metrics);
        metrics.sessionStarted();
        var requests = stub.graphicalConsole(relay);
        requests.onNext(ConsoleFrame.newBuilder().setInstanceId(instanceId).build());
        return relay;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ConsoleFrame> requestStream) {
        this.node = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
    }

    /** A frame from the browser, for the guest. */
    void fromBrowser(Buffer data) {
        if (closed.get()) {
            return;
        }
        if (data.length() > MAX_INBOUND) {
            close(new CloseReason(1009, "frame over " + MAX_INBOUND + " bytes"));
            return;
        }
        node.onNext(ConsoleFrame.newBuilder().setData(ByteString.copyFrom(data.getBytes())).build());
    }

    /** The browser left: end the node's stream. */
    void browserClosed() {
        if (closed.compareAndSet(false, true)) {
            metrics.sessionEnded();
            node.cancel("the browser closed the console", null);
            LOG.infof("graphical console of %s closed by the browser", instanceId);
        }
    }

    @Override
    public void onNext(ConsoleFrame frame) {
        browser.sendBinary(Buffer.buffer(frame.getData().toByteArray())).subscribe().with(
                ok -> node.request(1),
                failure -> close(CloseReason.ABNORMAL));
    }

    @Override
    public void onError(Throwable t) {
        Status s = t instanceof StatusRuntimeException e ? e.getStatus() : Status.fromThrowable(t);
        if (s.getCode() == Status.Code.CANCELLED && closed.get()) {
            return; // our own cancel after the browser left
        }
        String why = s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
        LOG.infof("graphical console of %s ended by the node: %s", instanceId, why);
        close(new CloseReason(1011, truncate("console ended: " + why)));
    }

    @Override
    public void onCompleted() {
        close(new CloseReason(1000, "the guest's console closed"));
    }

    private void close(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            metrics.sessionEnded();
            ClientCallStreamObserver<ConsoleFrame> n = node;
            if (n != null) {
                n.cancel("console closed", null);
            }
            browser.close(reason).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** A close reason fits in 123 bytes (RFC 6455). */
    static String truncate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}

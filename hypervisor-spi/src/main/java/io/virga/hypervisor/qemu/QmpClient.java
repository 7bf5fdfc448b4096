package io.virga.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A QMP (QEMU Machine Protocol) client on a unix socket: JSON objects one a line, the greeting and
 * {@code qmp_capabilities} negotiation on connect, commands matched to their answers by id (so several
 * threads may send commands at once), and asynchronous events handed to a listener and to waiters.
 *
 * <p>One reader thread (a daemon) per connection. Listeners run on it and must not block on anything
 * that waits for a QMP answer. {@link #close()} fails every pending command.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An asynchronous QMP event. */
    public record Event(String name, JsonNode data) {
    }

    /** The name of the event the listener gets, once, when the connection closes (QEMU went away). */
    public static final String CLOSED = "VIRGA_QMP_CLOSED";

    private record Waiter(String name, Predicate<JsonNode> match, CompletableFuture<JsonNode> future) {
    }

    private final Path socket;
    private final SocketChannel channel;
    private final LineReader in;
    private final Object writeLock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private final Consumer<Event> listener;
    private volatile boolean closed;

    private QmpClient(Path socket, SocketChannel channel, Consumer<Event> listener) {
        this.socket = socket;
        this.channel = channel;
        this.in = new LineReader(channel);
        this.listener = listener == null ? e -> { } : listener;
    }

    /**
     * Connects to the QMP socket, retrying until it accepts or {@code timeout} passes, reads the greeting
     * and negotiates capabilities.
     *
     * @throws QmpException when it cannot connect or negotiate in time
     */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<Event> listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (true) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(socket));
                QmpClient client = new QmpClient(socket, ch, listener);
                client.handshake(deadline);
                return client;
            } catch (IOException e) {
                last = e;
                closeQuietly(ch);
            }
            if (System.nanoTime() > deadline) {
                throw new QmpException("cannot connect to QMP socket " + socket + ": "
                        + (last == null ? "timed out" : last.getMessage()), last);
            }
            sleep(50);
        }
    }

    private void handshake(long deadline) throws IOException {
        String greeting = in.readLine();
        if (greeting == null || !JSON.readTree(greeting).has("QMP")) {
            throw new IOException("no QMP greeting on " + socket + ": " + greeting);
        }
        Thread reader = new Thread(this::readLoop, "qmp-" + socket.getParent().getFileName());
        reader.setDaemon(true);
        reader.start();
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            execute("qmp_capabilities", null, Duration.ofMillis(Math.max(left, 5000)));
        } catch (QmpException e) {
            close();
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Sends {@code command} with {@code args} (may be null) and waits for its answer's {@code return}. */
    public JsonNode execute(String command, Map<String, ?> args, Duration timeout) {
        String id = "v" + ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("execute", command);
        if (args != null && !args.isEmpty()) {
            msg.set("arguments", JSON.valueToTree(args));
        }
        msg.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            if (closed) {
                throw new QmpException("QMP connection " + socket + " is closed", (Throwable) null);
            }
            ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            synchronized (writeLock) {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
            }
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                JsonNode err = reply.get("error");
                throw new QmpException(err.path("class").asText(), command + ": " + err.path("desc").asText());
            }
            return reply.path("return");
        } catch (IOException e) {
            throw new QmpException("QMP " + command + " on " + socket + " failed: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new QmpException("QMP " + command + " on " + socket + " got no answer within " + timeout, e);
        } catch (ExecutionException e) {
            throw new QmpException("QMP " + command + " on " + socket + " failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted waiting for QMP " + command, e);
        } finally {
            pending.remove(id);
        }
    }

    /**
     * A future completing with the data of the next event {@code name} matching {@code match}; register
     * it before sending the command that causes the event. It fails when the connection closes.
     */
    public CompletableFuture<JsonNode> nextEvent(String name, Predicate<JsonNode> match) {
        Waiter w = new Waiter(name, match == null ? d -> true : match, new CompletableFuture<>());
        waiters.add(w);
        if (closed) {
            w.future().completeExceptionally(new IOException("QMP connection closed"));
        }
        w.future().whenComplete((v, e) -> waiters.remove(w));
        return w.future();
    }

    /** Whether the connection is still open (QEMU has not gone away). */
    public boolean isOpen() {
        return !closed;
    }

    private void readLoop() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode msg = JSON.readTree(line);
                if (msg.has("event")) {
                    Event ev = new Event(msg.get("event").asText(), msg.path("data"));
                    for (Waiter w : waiters) {
                        if (w.name().equals(ev.name()) && w.match().test(ev.data())) {
                            w.future().complete(ev.data());
                        }
                    }
                    try {
                        listener.accept(ev);
                    } catch (RuntimeException e) {
                        System.getLogger(QmpClient.class.getName()).log(System.Logger.Level.WARNING,
                                "QMP event listener failed on " + ev.name() + ": " + e);
                    }
                } else if (msg.has("id")) {
                    CompletableFuture<JsonNode> f = pending.get(msg.get("id").asText());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
        } catch (IOException e) {
            // the connection went away: fall through to close
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(channel);
        IOException gone = new IOException("QMP connection " + socket + " closed");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        waiters.forEach(w -> w.future().completeExceptionally(gone));
        try {
            listener.accept(new Event(CLOSED, JSON.createObjectNode()));
        } catch (RuntimeException e) {
            // a listener's failure must not stop the close
        }
    }

    /**
     * Reads lines straight from the channel. (The stream adapters of {@code Channels} lock the channel's
     * blocking lock for a read, so a blocked reader would stop every writer.)
     */
    private static final class LineReader {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineReader(SocketChannel ch) {
            this.ch = ch;
            buf.flip();
        }

        /** The next line without its end, or null at the end of the stream. */
        String readLine() throws IOException {
            while (true) {
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        String s = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                    }
                    line.write(b);
                }
                buf.clear();
                int n = ch.read(buf);
                buf.flip();
                if (n < 0) {
                    return null;
                }
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while connecting to QMP", e);
        }
    }
}

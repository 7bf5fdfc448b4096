package io.virga.gateway.stream;

import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * One SSE client: a filter, a bounded queue and an asynchronous pump (no thread waits for a slow client).
 *
 * <p>States:
 * <pre>
 *   state       | event arrives (seq > last queued)             | leaves to
 *   ------------+-----------------------------------------------+-----------------------------------------
 *   CATCHING_UP | held (replay from the database goes first)    | LIVE (release), CLOSED
 *   LIVE        | queued; a full queue drops the client          | CLOSED (drop, client gone, shutdown)
 *   CLOSED      | ignored                                       | (final)
 * </pre>
 * A dropped client is sent one last {@code stream.dropped} frame naming the last id it was sent, then the
 * response ends. Everything here is guarded by the subscriber's own monitor; sends happen outside it.
 */
public final class Subscriber {
    enum State { CATCHING_UP, LIVE, CLOSED }

    private final String project;
    private final int capacity;
    private final FrameSink sink;
    private final Function<StreamEvent, Frame> render;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final ArrayDeque<StreamEvent> held = new ArrayDeque<>();
    private State state = State.CATCHING_UP;
    private boolean sending;
    private long lastQueued;
    private long lastSent;
    private String dropReason;

    /**
     * @param project   only this project's events; null for all (a cloud admin without a filter)
     * @param after     events up to this seq are never queued (the client has them, or they predate it)
     */
    Subscriber(String project, long after, int capacity, FrameSink sink, Function<StreamEvent, Frame> render) {
        this.project = project;
        this.capacity = capacity;
        this.sink = sink;
        this.render = render;
        this.lastQueued = after;
        this.lastSent = after;
    }

    /** True when this client may see {@code e}. */
    boolean wants(StreamEvent e) {
        return project == null || project.equals(e.projectId());
    }

    /** A live event from the hub. False when the subscriber is closed (the hub forgets it). */
    boolean offer(StreamEvent e) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            if (e.seq() <= lastQueued || !wants(e)) {
                return true;
            }
            if (state == State.CATCHING_UP) {
                if (held.size() >= capacity) {
                    dropLocked("slow_consumer");
                } else {
                    held.add(e);
                    return true;
                }
            } else if (queue.size() >= capacity) {
                dropLocked("slow_consumer");
            } else {
                enqueueLocked(e);
            }
        }
        pump();
        return !isClosed();
    }

    /**
     * A replayed event (catch-up, in seq order). Returns false when the queue is full, so the caller
     * waits for {@link #queued()} to shrink and offers it again.
     */
    boolean replay(StreamEvent e) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return true;
            }
            if (queue.size() >= capacity) {
                return false;
            }
            if (e.seq() > lastQueued && wants(e)) {
                enqueueLocked(e);
            }
        }
        pump();
        return true;
    }

    /** A control frame (e.g. {@code stream.reset}) queued in order. */
    void control(Frame frame) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            queue.add(frame);
        }
        pump();
    }

    /** Ends catch-up: the held live events follow the replay, and new ones are queued directly. */
    void release() {
        synchronized (this) {
            if (state != State.CATCHING_UP) {
                return;
            }
            state = State.LIVE;
            while (!held.isEmpty()) {
                StreamEvent e = held.poll();
                if (e.seq() > lastQueued) {
                    enqueueLocked(e);
                }
            }
        }
        pump();
    }

    /** Sends a comment when nothing is queued or in flight (so proxies see traffic). */
    void heartbeat() {
        synchronized (this) {
            if (state == State.CLOSED || sending || !queue.isEmpty()) {
                return;
            }
            queue.add(Frame.heartbeat());
        }
        pump();
    }

    /** Drops the client with a final {@code stream.dropped} frame (reason e.g. {@code slow_consumer}). */
    void drop(String reason) {
        synchronized (this) {
            dropLocked(reason);
        }
        pump();
    }

    /** Closes at once (client gone, shutdown). */
    void close() {
        synchronized (this) {
            state = State.CLOSED;
            queue.clear();
            held.clear();
            dropReason = null;
        }
        sink.close();
    }

    boolean isClosed() {
        synchronized (this) {
            if (state != State.CLOSED && sink.isClosed()) {
                state = State.CLOSED;
                queue.clear();
                held.clear();
            }
            return state == State.CLOSED;
        }
    }

    /** Waits until the queue has room or the subscriber closed, at most until {@code deadlineNanos}. */
    synchronized boolean awaitRoom(long deadlineNanos) throws InterruptedException {
        while (state != State.CLOSED && queue.size() >= capacity) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized int queued() {
        return queue.size();
    }

    synchronized long lastSent() {
        return lastSent;
    }

    synchronized State state() {
        return state;
    }

    private void enqueueLocked(StreamEvent e) {
        queue.add(render.apply(e));
        lastQueued = e.seq();
    }

    /** The last frame of a dropped client; names the last id it was sent (built when it is sent). */
    private Frame farewellLocked() {
        String reason = dropReason;
        dropReason = null;
        return Frame.control("stream.dropped", "{\"reason\":\"" + reason + "\",\"last_event_id\":"
                + (lastSent == 0 ? "null" : "\"" + lastSent + "\"") + ",\"detail\":\"the client read too slowly;"
                + " reconnect with Last-Event-ID to resume\"}");
    }

    private void dropLocked(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        queue.clear();
        held.clear();
        dropReason = reason;
        if (!sending) {
            sending = true;
            Frame last = farewellLocked();
            sink.send(last).whenComplete((ok, err) -> sink.close());
        }
    }

    /** Sends the next queued frame when none is in flight; continues from the send's completion. */
    private void pump() {
        Frame next;
        synchronized (this) {
            if (sending) {
                return;
            }
            if (state == State.CLOSED) {
                return;
            }
            next = queue.poll();
            if (next == null) {
                return;
            }
            sending = true;
        }
        sink.send(next).whenComplete((ok, err) -> sent(next, err));
    }

    private void sent(Frame frame, Throwable err) {
        Frame last;
        synchronized (this) {
            sending = false;
            notifyAll();
            if (err == null && frame.seq() > 0) {
                lastSent = frame.seq();
            }
            if (err != null) {
                state = State.CLOSED;
                queue.clear();
                dropReason = null;
            }
            last = dropReason == null ? null : farewellLocked();
            if (last != null) {
                sending = true;
            }
        }
        if (err != null) {
            sink.close();
        } else if (last != null) {
            sink.send(last).whenComplete((ok, e) -> sink.close());
        } else {
            pump();
        }
    }
}

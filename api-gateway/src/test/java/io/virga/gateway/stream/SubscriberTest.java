package io.virga.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** A subscriber's queue, catch-up ordering and slow-client drop, with a sink whose writes complete by hand. */
class SubscriberTest {
    /** A sink whose sends complete only when the test says so (a client that stopped reading). */
    static final class ManualSink implements FrameSink {
        final List<Frame> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized CompletionStage<?> send(Frame frame) {
            sent.add(frame);
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void completeAll() {
            while (true) {
                List<CompletableFuture<Void>> now;
                synchronized (this) {
                    now = pending.stream().filter(f -> !f.isDone()).toList();
                }
                if (now.isEmpty()) {
                    return;
                }
                now.forEach(f -> f.complete(null));
            }
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static StreamEvent event(long seq, String project) {
        return new StreamEvent(seq, project, "io.virga.instance.status", "i-" + seq, Instant.EPOCH,
                JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithAFinalEventNamingTheLastIdItWasSent() {
        ManualSink sink = new ManualSink();
        Subscriber s = new Subscriber("prj-a", 0, 4, sink, StreamHub::render);
        s.release();
        s.offer(event(1, "prj-a"));
        sink.completeAll();
        // seq 2 is in flight and never completes; 3..6 fill the queue; 7 overflows it
        for (long seq = 2; seq <= 6; seq++) {
            assertTrue(s.offer(event(seq, "prj-a")));
        }
        assertEquals(false, s.offer(event(7, "prj-a")));
        assertEquals(Subscriber.State.CLOSED, s.state());
        sink.completeAll();
        Frame last = sink.sent.get(sink.sent.size() - 1);
        assertEquals("stream.dropped", last.name());
        assertTrue(last.data().contains("\"last_event_id\":\"2\""), last.data());
        assertTrue(last.data().contains("slow_consumer"), last.data());
        assertTrue(sink.closed);
        assertEquals(List.of(1L, 2L, 0L), sink.sent.stream().map(Frame::seq).toList());
    }

    @Test
    void liveEventsWaitBehindTheReplayAndNothingIsSentTwice() {
        ManualSink sink = new ManualSink();
        Subscriber s = new Subscriber("prj-a", 10, 100, sink, StreamHub::render);
        s.offer(event(14, "prj-a"));          // live, held during catch-up
        s.offer(event(15, "prj-b"));          // another project: never
        s.replay(event(11, "prj-a"));
        s.replay(event(13, "prj-a"));
        s.replay(event(14, "prj-a"));         // replay and live overlap
        s.release();
        s.offer(event(16, "prj-a"));
        s.offer(event(9, "prj-a"));           // older than the resume point
        sink.completeAll();
        assertEquals(List.of(11L, 13L, 14L, 16L), sink.sent.stream().map(Frame::seq).toList());
        assertEquals(16, s.lastSent());
    }
}

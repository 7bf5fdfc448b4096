package io.virga.gateway.stream;

import java.util.concurrent.CompletionStage;

/** Where a subscriber's frames go: an SSE response in production ({@code SseEventSink}), anything in tests. */
public interface FrameSink {
    /** Writes one frame; the stage completes when it was handed to the connection (fails if it cannot be). */
    CompletionStage<?> send(Frame frame);

    /** True once the client went away or {@link #close()} ran. */
    boolean isClosed();

    /** Ends the response after the frames already sent. Idempotent. */
    void close();
}

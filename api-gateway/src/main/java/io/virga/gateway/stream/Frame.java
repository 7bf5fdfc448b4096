package io.virga.gateway.stream;

/**
 * One SSE frame: an event ({@code id}, {@code event}, {@code data}) or a comment (a heartbeat).
 *
 * @param seq     the event's seq (0 for frames that are not stream events: heartbeats, resets, drops)
 * @param id      the {@code id:} field, or null
 * @param name    the {@code event:} field, or null
 * @param data    the {@code data:} field (JSON), or null for a comment
 * @param comment the comment text, or null
 */
public record Frame(long seq, String id, String name, String data, String comment) {

    static Frame event(StreamEvent e, String json) {
        return new Frame(e.seq(), Long.toString(e.seq()), e.type(), json, null);
    }

    static Frame control(String name, String json) {
        return new Frame(0, null, name, json, null);
    }

    static Frame heartbeat() {
        return new Frame(0, null, null, null, "keep-alive");
    }
}

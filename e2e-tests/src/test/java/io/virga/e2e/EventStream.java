package io.virga.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of GET /v1/events over a real HTTP connection; frames are stamped when they arrive. */
final class EventStream implements AutoCloseable {
    /** One event frame (comments are skipped) and when the client read it. */
    record Frame(String id, String event, String data, Instant receivedAt) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread t = new Thread(this::read, "e2e-sse-reader");
        t.setDaemon(true);
        t.start();
    }

    static EventStream open(String baseUrl, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /v1/events answered " + r.statusCode());
            }
            return new EventStream(r);
        } catch (IOException e) {
            throw new AssertionError("cannot open the event stream", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, or null when none arrived within {@code budget}. */
    Frame poll(Duration budget) throws InterruptedException {
        return frames.poll(budget.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Frames up to the first matching {@code last} (inclusive), each passed to {@code each}; fails after budget. */
    Frame until(Predicate<Frame> last, java.util.function.Consumer<Frame> each, Duration budget)
            throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline) {
            Frame f = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f == null) {
                break;
            }
            each.accept(f);
            if (last.test(f)) {
                return f;
            }
        }
        throw new AssertionError("no matching event within " + budget);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            String data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new Frame(id, event, data, Instant.now()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim();
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already closed
        }
    }
}

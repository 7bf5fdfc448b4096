package io.virga.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny in-process HTTP server on loopback that answers canned bodies, for testing how the CLI
 * formats what an API says (not the API itself). Routes are {@code "GET /v1/flavors"} (the query
 * string is part of the key when present); a route with several answers gives them in turn and then
 * keeps giving the last. Every request is recorded.
 */
final class FakeApi implements AutoCloseable {
    /** A canned answer. */
    record Answer(int status, String contentType, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, Map.of());
        }

        static Answer problem(int status, String body) {
            return new Answer(status, "application/problem+json", body, Map.of());
        }
    }

    /** A request as received. */
    record Request(String method, String pathAndQuery, String authorization, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code route} ({@code "GET /v1/x"}) with these answers in turn. */
    FakeApi on(String route, Answer... answers) {
        routes.put(route, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    FakeApi onJson(String route, int status, String body) {
        return on(route, Answer.json(status, body));
    }

    private void handle(HttpExchange ex) throws IOException {
        String pathAndQuery = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(ex.getRequestMethod(), pathAndQuery, ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Content-Type"), body));
        Deque<Answer> queue = routes.get(ex.getRequestMethod() + " " + pathAndQuery);
        Answer a;
        if (queue == null) {
            a = Answer.problem(404, "{\"type\":\"https://virga.dev/problems/not-found\",\"title\":\"Not found\","
                    + "\"status\":404,\"detail\":\"no fake route " + ex.getRequestMethod() + " " + pathAndQuery + "\"}");
        } else {
            synchronized (queue) {
                a = queue.size() > 1 ? queue.poll() : queue.peek();
            }
        }
        byte[] bytes = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", a.contentType());
        a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

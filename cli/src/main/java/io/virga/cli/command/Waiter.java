package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.http.ApiError;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The polling behind {@code --wait}: GETs a path every {@code interval} until a condition holds or the
 * time budget runs out, printing a progress line on stderr each time what it sees changes
 * ({@code waiting for instance i-…: BUILDING (scheduling), 2.1 s}).
 */
final class Waiter {
    private final ApiClient api;
    private final PrintWriter progress;
    private final Duration interval;
    private final Duration budget;

    Waiter(ApiClient api, PrintWriter progress, Duration interval, Duration budget) {
        this.api = api;
        this.progress = progress;
        this.interval = interval;
        this.budget = budget;
    }

    /**
     * Polls {@code path} until {@code done} holds for its body; a 404 counts as the body {@code null}
     * (passed to {@code done}, e.g. a deleted resource that is gone).
     *
     * @param what     what is waited for, for the progress line ({@code instance i-1})
     * @param describe the state shown in the progress line
     * @return the last body seen (null after a 404)
     * @throws WaitFailed when the budget runs out first
     */
    JsonNode until(String what, String path, Predicate<JsonNode> done, Function<JsonNode, String> describe) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        String last = null;
        while (true) {
            JsonNode body;
            try {
                body = api.get(path).body();
            } catch (ApiError e) {
                if (e.status() != 404) {
                    throw e;
                }
                body = null;
            }
            String state = body == null ? "gone" : describe.apply(body);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (done.test(body)) {
                progress.printf("%s is %s after %.1f s%n", what, state, seconds);
                progress.flush();
                return body;
            }
            if (!Objects.equals(state, last)) {
                progress.printf("waiting for %s: %s, %.1f s%n", what, state, seconds);
                progress.flush();
                last = state;
            }
            if (System.nanoTime() > deadline) {
                throw new WaitFailed("gave up waiting for " + what + " after " + budget.toSeconds()
                        + " s; it is still " + state + " (--timeout sets the budget)");
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitFailed("interrupted while waiting for " + what);
            }
        }
    }

    /** {@code STATUS (task)} or {@code STATUS}. */
    static String statusAndTask(JsonNode resource) {
        String status = resource.path("status").asText("?");
        JsonNode task = resource.get("task");
        return task == null || task.isNull() ? status : status + " (" + task.asText() + ")";
    }

    /**
     * Waits for the operation at {@code location} ({@code /v1/operations/op-…}) to end.
     *
     * @throws WaitFailed when it FAILED (with its fault) or the budget ran out
     */
    JsonNode operation(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            location = java.net.URI.create(location).getRawPath(); // the API answers relative ones; be lenient
        }
        String opId = location.substring(location.lastIndexOf('/') + 1);
        JsonNode op = until("operation " + opId, location,
                o -> o != null && !"RUNNING".equals(o.path("status").asText()), Waiter::operationState);
        if (op != null && "FAILED".equals(op.path("status").asText())) {
            throw new WaitFailed("operation " + opId + " (" + op.path("kind").asText() + ") FAILED: "
                    + op.path("fault").path("message").asText("no reason given")
                    + faultCode(op.path("fault")));
        }
        return op;
    }

    static String faultCode(JsonNode fault) {
        return fault.hasNonNull("code") ? " [" + fault.get("code").asText() + "]" : "";
    }

    private static String operationState(JsonNode op) {
        String step = null;
        for (JsonNode s : op.path("steps")) {
            if ("RUNNING".equals(s.path("status").asText())) {
                step = s.path("name").asText();
            }
        }
        String status = op.path("status").asText("?");
        return step == null ? status : status + " (" + step + ")";
    }
}

package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.workflow.BusyResourceException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Helpers of the in-process calls: answers as JSON, API refusals as {@link World.Failed}, waiting. */
final class Calls {
    /** How long a stack waits for one resource to settle (an instance to boot, a volume to be made). */
    static final Duration SETTLE = Duration.ofMinutes(10);

    private final ObjectMapper json;

    Calls(ObjectMapper json) {
        this.json = json;
    }

    /** The entity of an answer (or the answer itself) as JSON. */
    JsonNode tree(Object answer) {
        Object entity = answer instanceof Response r ? r.getEntity() : answer;
        return json.valueToTree(entity);
    }

    <T> T body(JsonNode inputs, Class<T> type, String... without) {
        ObjectNode copy = inputs.deepCopy();
        for (String w : without) {
            copy.remove(w);
        }
        try {
            return json.treeToValue(copy, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new World.Failed("invalid attributes: " + e.getOriginalMessage(), null);
        }
    }

    ObjectNode without(JsonNode inputs, String... fields) {
        ObjectNode copy = inputs.deepCopy();
        for (String f : fields) {
            copy.remove(f);
        }
        return copy;
    }

    /** Runs an API call; a refusal becomes {@link World.Failed} with the API's words. */
    static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (ApiException e) {
            throw new World.Failed(describe(e), null);
        } catch (BusyResourceException e) {
            throw new World.Failed("busy: " + e.getMessage(), null);
        }
    }

    /** Reads with a call that answers 404 when the resource is gone. */
    static Optional<JsonNode> find(Supplier<JsonNode> read) {
        try {
            return Optional.of(read.get());
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw new World.Failed(describe(e), null);
        }
    }

    /** Deletes with a call for which 404 (gone already) is success. */
    static void delete(Runnable work) {
        try {
            work.run();
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw new World.Failed(describe(e), null);
            }
        } catch (BusyResourceException e) {
            throw new World.Failed("busy: " + e.getMessage(), null);
        }
    }

    static String describe(ApiException e) {
        StringBuilder b = new StringBuilder().append(e.status()).append(' ').append(e.detail());
        if (e.errors().size() > 1) {
            e.errors().forEach(f -> b.append("; ").append(f.field()).append(": ").append(f.message()));
        }
        return b.toString();
    }

    /**
     * Polls {@code probe} until it answers a value or {@link #SETTLE} passes.
     *
     * @throws World.Failed naming {@code what} on timeout
     */
    static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long pause = 50;
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new World.Failed(what + " did not settle within " + SETTLE.toMinutes() + " min", null);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new World.Failed("interrupted while waiting for " + what, null);
            }
            pause = Math.min(500, pause * 2);
        }
    }
}

package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The cloud as a stack sees it: reads, creates, changes and deletes resources of every kind, as the
 * stack's caller, through the same checks as the REST API. Implementations block until the work has
 * settled (an instance ACTIVE, a volume available, a deleted instance gone).
 */
public interface World {
    /** The resource's current view ({@code inputs}: what it was made with), or empty when it is gone (deleted, or DELETED). */
    Optional<JsonNode> read(Kind kind, String id, JsonNode inputs);

    /**
     * Makes a resource from resolved {@code inputs}; returns its view with {@code id}.
     *
     * @throws Failed when the API refuses it or it ends in ERROR ({@link Failed#madeId} set if it exists)
     */
    JsonNode create(Kind kind, JsonNode inputs);

    /** Applies in-place {@code changes} to resource {@code id}; returns its view. @throws Failed */
    JsonNode update(Kind kind, String id, JsonNode inputs, List<Plan.Change> changes);

    /** Deletes resource {@code id} and waits until it is gone; gone already is success. @throws Failed */
    void delete(Kind kind, String id, JsonNode inputs);

    /** A refused or failed change; {@code madeId}: the resource made anyway (e.g. an instance in ERROR). */
    final class Failed extends RuntimeException {
        private final String madeId;

        public Failed(String message, String madeId) {
            super(message);
            this.madeId = madeId;
        }

        public String madeId() {
            return madeId;
        }
    }
}

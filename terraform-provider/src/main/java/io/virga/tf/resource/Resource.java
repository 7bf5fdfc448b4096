package io.virga.tf.resource;

import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.ResourceSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One managed resource type: its schema, plan-time checks and its life against the Virga API.
 * Values are objects decoded from msgpack ({@code Map} of attribute name to value); the provider does
 * the generic planning (unknown computed values, replacements of {@code forceNew} attributes).
 *
 * <pre>
 * Terraform call             what the type does                           state afterwards
 * ValidateResourceConfig     {@link #validate} known config values        -
 * PlanResourceChange         {@link #replaceWhen} extra replacements      -
 * ApplyResourceChange create {@link #create}, waits until usable          the new object (partial + error on failure)
 * ApplyResourceChange update {@link #update}, in place                    the updated object
 * ApplyResourceChange delete {@link #delete}, waits until gone             removed
 * ReadResource               {@link #read}; null when gone upstream       refreshed, or removed
 * ImportResourceState        {@link #importById}                          adopted
 * </pre>
 */
public interface Resource {
    String typeName();

    ResourceSchema schema();

    /** Adds a problem for each known configuration value the API would refuse; unknown values are skipped. */
    default void validate(Map<String, Object> config, Problems problems) {
    }

    /** Attributes beyond the {@code forceNew} ones whose change from {@code prior} to {@code proposed} replaces. */
    default List<String> replaceWhen(Map<String, Object> prior, Map<String, Object> proposed) {
        return List.of();
    }

    /** Computed attributes an in-place update may change: unknown in the plan of an update. */
    default Set<String> changedByUpdate() {
        return Set.of();
    }

    /** Creates the object from the planned values; throws {@link Failure} to keep a partial object. */
    Map<String, Object> create(VirgaClient api, Map<String, Object> planned);

    /** The object as the API has it now (configuration-only values kept from {@code state}); null when gone. */
    Map<String, Object> read(VirgaClient api, Map<String, Object> state);

    /** Changes the object in place from {@code prior} to {@code planned}. */
    default Map<String, Object> update(VirgaClient api, Map<String, Object> prior, Map<String, Object> planned) {
        throw new UnsupportedOperationException(typeName() + " has no in-place update");
    }

    void delete(VirgaClient api, Map<String, Object> state);

    /** The object with this import id; null when there is none. */
    default Map<String, Object> importById(VirgaClient api, String id) {
        return read(api, Map.of("id", id));
    }

    /** A problem found by {@link #validate}: the attribute and what is wrong. */
    interface Problems {
        void add(String attribute, String message);
    }

    /** An operation that failed after the object came to exist: the object is kept (tainted). */
    final class Failure extends RuntimeException {
        private final transient Map<String, Object> state;

        public Failure(String message, Map<String, Object> state) {
            super(message);
            this.state = state;
        }

        public Map<String, Object> state() {
            return state;
        }
    }
}

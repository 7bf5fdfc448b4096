package io.virga.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.StartupEvent;
import io.virga.gateway.events.GatewayEventing;
import io.virga.platform.events.CloudEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.Map;

/**
 * The one consumer (group {@value #CONSUMER}) that copies the events of {@link StreamTopics#STREAMED} into
 * {@code stream_events}, in the consumer's transaction (applied once per event id through the inbox; the
 * Kafka offset is committed after the database commit).
 *
 * <p>Ordering contract: every insert first takes a transaction-scoped advisory lock, so rows are numbered
 * and committed one at a time; a reader that has seen {@code seq = n} has therefore seen every row below n.
 * The insert sends {@code NOTIFY virga_stream}, delivered at commit, which wakes every replica's
 * {@link StreamHub}.
 */
@ApplicationScoped
public class StreamRecorder {
    public static final String CONSUMER = "gateway-event-stream";
    static final String CHANNEL = "virga_stream";
    private static final long LOCK_KEY = 0x7669726761L; // "virga"
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayEventing eventing;
    private final StreamConfig config;

    public StreamRecorder(GatewayEventing eventing, StreamConfig config) {
        this.eventing = eventing;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 110) StartupEvent event) {
        if (config.enabled()) {
            eventing.eventing().subscribe(CONSUMER, StreamTopics.STREAMED, this::record);
        }
    }

    /** Records one event (any type of the streamed topics; events without a subject are skipped). */
    public void record(CloudEvent event, Connection tx) throws SQLException {
        JsonNode data = snakeCase(event.data());
        String project = data.path("project_id").asText("");
        try (Statement st = tx.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO stream_events (event_id, project_id, type,"
                + " subject, event_time, data) VALUES (?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING")) {
            ps.setString(1, event.id());
            ps.setString(2, project.isEmpty() ? null : project);
            ps.setString(3, event.type());
            ps.setString(4, event.subject());
            ps.setTimestamp(5, Timestamp.from(event.time()));
            ps.setString(6, data.toString());
            ps.executeUpdate();
        }
        try (Statement st = tx.createStatement()) {
            st.execute("NOTIFY " + CHANNEL);
        }
    }

    /** The payload with every object key in snake_case (proto3 JSON prints lowerCamelCase), as the API speaks. */
    static JsonNode snakeCase(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.set(snake(f.getKey()), snakeCase(f.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(snakeCase(n)));
            return out;
        }
        return node;
    }

    static String snake(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (char ch : key.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}

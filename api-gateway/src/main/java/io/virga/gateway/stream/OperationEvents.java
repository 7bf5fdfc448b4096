package io.virga.gateway.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.gateway.events.GatewayEventing;
import io.virga.platform.events.CloudEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Appends operation events to the outbox, inside the transaction that starts or ends the operation, so an
 * event exists exactly when the change committed (topic {@value StreamTopics#GATEWAY_OPERATIONS}).
 */
@ApplicationScoped
public class OperationEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GatewayEventing eventing;

    public OperationEvents(GatewayEventing eventing) {
        this.eventing = eventing;
    }

    /** The operation row was inserted (status RUNNING) in {@code tx}. */
    public void started(Connection tx, String id, String projectId, String kind, String resourceId)
            throws SQLException {
        append(tx, StreamTopics.TYPE_OPERATION_STARTED, id, projectId, kind, resourceId, "RUNNING", null);
    }

    /** The operation ended ({@code status} SUCCEEDED or FAILED) in {@code tx}. */
    public void finished(Connection tx, String id, String projectId, String kind, String resourceId, String status,
                         String faultMessage) throws SQLException {
        append(tx, StreamTopics.TYPE_OPERATION_FINISHED, id, projectId, kind, resourceId, status, faultMessage);
    }

    private void append(Connection tx, String type, String id, String projectId, String kind, String resourceId,
                        String status, String faultMessage) throws SQLException {
        ObjectNode data = JSON.createObjectNode()
                .put("operation_id", id)
                .put("project_id", projectId)
                .put("kind", kind)
                .put("resource_id", resourceId)
                .put("status", status);
        if (faultMessage != null) {
            data.put("fault_message", faultMessage);
        }
        var e = eventing.eventing();
        e.outbox().append(tx, StreamTopics.GATEWAY_OPERATIONS, CloudEvent.of(e.source(), type, id, data));
    }
}

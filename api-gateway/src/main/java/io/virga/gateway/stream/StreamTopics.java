package io.virga.gateway.stream;

import io.virga.platform.events.Topics;
import java.util.List;

/**
 * The topics the event stream reads, and the gateway's own operation topic.
 *
 * <p>{@value #GATEWAY_OPERATIONS} carries {@value #TYPE_OPERATION_STARTED} and
 * {@value #TYPE_OPERATION_FINISHED} (key: operation id), written through the outbox by
 * {@link OperationEvents} in the transaction that starts or ends the operation. Data (snake_case JSON):
 * {@code operation_id, project_id, kind, resource_id, status, fault_message}.
 */
public final class StreamTopics {
    public static final String GATEWAY_OPERATIONS = "virga.gateway.operations";
    public static final String TYPE_OPERATION_STARTED = "io.virga.operation.started";
    public static final String TYPE_OPERATION_FINISHED = "io.virga.operation.finished";

    /** What {@code GET /v1/events} shows: instance status, ports and security groups, volumes, operations. */
    public static final List<String> STREAMED = List.of(Topics.GATEWAY_INSTANCES, Topics.NETWORK_PORTS,
            Topics.STORAGE_VOLUMES, GATEWAY_OPERATIONS);

    private StreamTopics() {
    }
}

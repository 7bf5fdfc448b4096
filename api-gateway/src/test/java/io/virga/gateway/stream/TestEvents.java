package io.virga.gateway.stream;

import io.virga.contracts.events.v1.InstanceStatusChanged;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.KafkaClients;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/** Publishes instance status events to the real Kafka, as the gateway's outbox would. */
final class TestEvents implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer = KafkaClients.producer(
            ConfigProvider.getConfig().getValue("virga.kafka.bootstrap-servers", String.class), "stream-test");

    void instanceStatus(String projectId, String instanceId, String status) throws Exception {
        InstanceStatusChanged data = InstanceStatusChanged.newBuilder().setInstanceId(instanceId)
                .setProjectId(projectId).setStatus(status).setPreviousStatus("BUILDING").build();
        CloudEvent e = CloudEvent.of("/virga/test", Topics.TYPE_INSTANCE_STATUS, instanceId, data);
        try {
            producer.send(new ProducerRecord<>(Topics.GATEWAY_INSTANCES, instanceId, CloudEventCodec.encode(e)))
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("cannot publish a test event", ex);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

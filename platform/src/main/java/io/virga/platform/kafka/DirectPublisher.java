package io.virga.platform.kafka;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes events straight to Kafka, for services without a database
 * (compute nodes). Such a service must be able to re-derive and re-send its
 * facts (a compute node re-reports every guest's power state after restart),
 * since there is no outbox to keep an unsent event.
 */
public final class DirectPublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;

    public DirectPublisher(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Sends {@code event} keyed by its subject; the future completes when Kafka has it (acks=all). */
    public CompletableFuture<Void> publish(String topic, CloudEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.subject(), CloudEventCodec.encode(event));
        record.headers().add(new RecordHeader("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        producer.send(record, (meta, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public void close() {
        producer.close();
    }
}

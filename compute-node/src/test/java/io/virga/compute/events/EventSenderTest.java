package io.virga.compute.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.kafka.DirectPublisher;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A failed send is retried until Kafka has it, in order, and readiness says so meanwhile (Kafka's MockProducer). */
class EventSenderTest {

    static CloudEvent event(String subject) {
        return CloudEvent.of("/virga/test", "io.virga.test", subject, JsonNodeFactory.instance.objectNode());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void eventsRefusedByKafkaAreRetriedInOrderUntilSent() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        kafka.sendException = new KafkaException("broker down");
        EventSender sender = new EventSender(new DirectPublisher(kafka), "test-sender");
        try {
            sender.send("t", event("a"));
            sender.send("t", event("b"));
            await(() -> !sender.health().ok(), "the sender to notice the failure");
            assertTrue(sender.health().lastError().contains("broker down"), sender.health().lastError());
            assertEquals(2, sender.health().queued() + 1, "a is being retried, b waits behind it");

            kafka.sendException = null;
            await(() -> kafka.history().size() == 2, "both events to reach Kafka");
            assertEquals(List.of("a", "b"), kafka.history().stream().map(ProducerRecord::key).toList());
            await(() -> sender.health().ok(), "readiness to recover");
            assertEquals(2, sender.health().sent());
        } finally {
            sender.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void aSendThatFailsAfterBeingAcceptedIsSentAgain() throws Exception {
        MockProducer<String, byte[]> kafka = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        EventSender sender = new EventSender(new DirectPublisher(kafka), "test-sender");
        try {
            sender.send("t", event("a"));
            await(() -> kafka.history().size() == 1, "the first attempt");
            assertTrue(kafka.errorNext(new TimeoutException("delivery timed out")));
            await(() -> kafka.history().size() == 2, "the retry");
            assertFalse(sender.health().ok());
            assertTrue(kafka.completeNext());
            await(() -> sender.health().ok() && sender.health().sent() == 1, "the retry to succeed");
        } finally {
            sender.close(Duration.ofSeconds(1));
        }
    }
}

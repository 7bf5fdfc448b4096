package io.virga.compute.testing;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads what really reached Kafka: one topic, all partitions, from the beginning or from now. */
public final class KafkaProbe implements AutoCloseable {
    /** One record as it arrived. */
    public record Seen(String key, CloudEvent event) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Seen> seen = new ArrayList<>();

    private KafkaProbe(String bootstrap, String topic, boolean fromBeginning) {
        consumer = KafkaClients.consumer(bootstrap, "compute-node-test-" + UUID.randomUUID());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position); // resolve the positions now, not at the first poll
    }

    public static KafkaProbe fromBeginning(String bootstrap, String topic) {
        return new KafkaProbe(bootstrap, topic, true);
    }

    public static KafkaProbe fromNow(String bootstrap, String topic) {
        return new KafkaProbe(bootstrap, topic, false);
    }

    /** The first record with this key matching {@code test}, polling up to {@code timeout}. */
    public Seen await(String key, Predicate<CloudEvent> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Seen s : seen) {
                if (s.key().equals(key) && test.test(s.event())) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching event with key " + key + " within " + timeout
                        + "; seen for that key: " + forKey(key));
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Every record with this key seen so far, after polling for {@code settle} more. */
    public List<CloudEvent> all(String key, Duration settle) {
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(100));
        }
        return forKey(key);
    }

    private List<CloudEvent> forKey(String key) {
        return seen.stream().filter(s -> s.key().equals(key)).map(Seen::event).toList();
    }

    private void poll(Duration d) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(d)) {
            seen.add(new Seen(r.key(), CloudEventCodec.decode(r.value())));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}

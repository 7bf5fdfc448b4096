package io.virga.platform.kafka;

import io.virga.platform.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Parks records a consumer can never apply on the dead-letter topic {@link Topics#DEAD_LETTERS}, unchanged
 * (key, value and headers) plus headers saying why and from where: {@code virga-dl-consumer},
 * {@code virga-dl-reason}, {@code virga-dl-topic}, {@code virga-dl-partition}, {@code virga-dl-offset}.
 * An operator reads them there and, once the cause is fixed, can publish them again to their topic.
 *
 * <p>{@link #park} returns only once Kafka has the record (acks=all): the caller may then skip it.
 */
public final class DeadLetters {
    public static final String CONSUMER = "virga-dl-consumer";
    public static final String REASON = "virga-dl-reason";
    public static final String TOPIC = "virga-dl-topic";
    public static final String PARTITION = "virga-dl-partition";
    public static final String OFFSET = "virga-dl-offset";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REASON = 2_000;

    private final Producer<String, byte[]> producer;

    public DeadLetters(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /**
     * Publishes {@code record} to the dead-letter topic with {@code reason}.
     *
     * @throws IllegalStateException when Kafka did not take it (the caller must not skip the record then)
     */
    public void park(String consumer, ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> parked = new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), record.value());
        for (Header h : record.headers()) {
            parked.headers().add(h);
        }
        String why = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
        header(parked, CONSUMER, consumer);
        header(parked, REASON, why);
        header(parked, TOPIC, record.topic());
        header(parked, PARTITION, String.valueOf(record.partition()));
        header(parked, OFFSET, String.valueOf(record.offset()));
        try {
            producer.send(parked).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parking a record of " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot park a record of " + record.topic() + " on "
                    + Topics.DEAD_LETTERS + ": " + e, e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

package io.virga.platform.kafka;

import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.inbox.Inbox;
import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * An idempotent Kafka consumer: each record is decoded as a CloudEvent and
 * applied by the handler in one transaction with the inbox entry; offsets
 * are committed only after that transaction commits. So an event is applied
 * exactly once to the database, whatever crashes or redeliveries happen.
 *
 * <p>A record that is not a valid CloudEvent is logged and skipped (it can
 * never succeed). A handler failure stops the partition at that record and
 * retries it with backoff, keeping per-key order.
 */
public final class EventConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventConsumerLoop.class);

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Collection<String> topics;
    private final DataSource dataSource;
    private final EventHandler handler;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param name the consumer's name: its Kafka group and its inbox key (e.g. {@code scheduler-hosts})
     */
    public EventConsumerLoop(String name, String bootstrap, Collection<String> topics, DataSource dataSource,
                             EventHandler handler) {
        this.name = name;
        this.consumer = KafkaClients.consumer(bootstrap, name);
        this.topics = topics;
        this.dataSource = dataSource;
        this.handler = handler;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "events-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            consumer.subscribe(topics);
            long backoffMs = 100;
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                        if (!apply(record)) {
                            consumer.seek(tp, record.offset()); // retry this record on the next poll
                            break;
                        }
                        done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    }
                }
                if (!done.isEmpty()) {
                    consumer.commitSync(done);
                }
                if (done.size() < records.partitions().size()) {
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                } else {
                    backoffMs = 100;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.errorf(e, "consumer %s woken unexpectedly", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "consumer %s stopped", name);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** @return true when the record is done with (applied, duplicate or poison); false to retry it */
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        CloudEvent event;
        try {
            event = CloudEventCodec.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warnf("consumer %s skips a record that is not a CloudEvent (%s@%d): %s",
                    name, record.topic(), record.offset(), e.getMessage());
            return true;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (Inbox.firstSeen(c, name, event.id())) {
                    handler.handle(event, c);
                }
                c.commit();
                return true;
            } catch (Exception e) {
                c.rollback();
                LOG.warnf("consumer %s failed on event %s (%s), will retry: %s", name, event.id(), event.type(), e);
                return false;
            }
        } catch (Exception e) {
            LOG.warnf("consumer %s cannot reach its database, will retry: %s", name, e);
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

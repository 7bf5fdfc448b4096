package io.virga.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.devstack.KafkaBroker;
import io.virga.devstack.PostgresServer;
import io.virga.platform.db.Tx;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The outbox relay and the idempotent consumer against a real PostgreSQL and a real Kafka broker. */
class OutboxAndInboxTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir
    static Path dir;
    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static PGSimpleDataSource dataSource;
    private static ServiceEventing eventing;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.builder(dir.resolve("pg")).port(0).durable(false).start();
        postgres.createDatabase("platform_test");
        kafka = KafkaBroker.builder(dir.resolve("kafka")).port(0).controllerPort(0).start();
        kafka.awaitReady(Duration.ofMinutes(5));
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.jdbcUrl("platform_test"));
        dataSource.setUser(PostgresServer.USER);
        String ddl = new String(OutboxAndInboxTest.class.getResourceAsStream(
                "/db/platform/V1_0__virga_outbox_inbox.sql").readAllBytes(), StandardCharsets.UTF_8);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
        eventing = ServiceEventing.start("platform-test", dataSource, kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (eventing != null) {
            eventing.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void committedEventsArePublishedKeyedBySubjectAndRolledBackOnesNever() throws Exception {
        String topic = "test.outbox." + UUID.randomUUID();
        Tx tx = new Tx(dataSource);
        CloudEvent kept = event("res-1");
        CloudEvent dropped = event("res-2");
        tx.run(c -> {
            eventing.outbox().append(c, topic, kept);
            return null;
        });
        try {
            tx.run(c -> {
                eventing.outbox().append(c, topic, dropped);
                throw new IllegalStateException("the state change failed");
            });
        } catch (IllegalStateException expected) {
            // the event must go with the state change
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(topic, 1, Duration.ofMinutes(2));
        assertEquals(1, records.size());
        assertEquals("res-1", records.get(0).key());
        assertEquals(kept, CloudEventCodec.decode(records.get(0).value()));
        assertEquals("application/cloudevents+json",
                new String(records.get(0).headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
        awaitOutboxEmpty();
    }

    @Test
    void aConsumerAppliesEachEventOnceSkipsPoisonAndRetriesFailures() throws Exception {
        String topic = "test.inbox." + UUID.randomUUID();
        CloudEvent first = event("res-a");
        CloudEvent second = event("res-a");
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Map<String, Integer> applied = new ConcurrentHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS applied (event_id TEXT PRIMARY KEY)");
        }
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "test")) {
            producer.send(new ProducerRecord<>(topic, "res-a", CloudEventCodec.encode(first))).get();
            producer.send(new ProducerRecord<>(topic, "res-a", "poison".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, "res-a", CloudEventCodec.encode(first))).get(); // redelivery
            producer.send(new ProducerRecord<>(topic, "res-a", CloudEventCodec.encode(second))).get();
        }
        String group = "inbox-test-" + UUID.randomUUID();
        eventing.subscribe(group, List.of(topic), (event, tx) -> {
            if (event.id().equals(second.id()) && failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("transient failure");
            }
            try (Statement s = tx.createStatement()) {
                s.execute("INSERT INTO applied VALUES ('" + event.id() + "')");
            }
            applied.merge(event.id(), 1, Integer::sum);
        });

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (applied.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // give a wrong second application the chance to happen
        assertEquals(Map.of(first.id(), 1, second.id(), 1), applied);
        assertEquals(-1, Math.min(failuresLeft.get(), -1), "the failing event was retried until it passed");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM virga_inbox WHERE consumer = '" + group + "'")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    private static CloudEvent event(String subject) {
        return CloudEvent.of("/virga/test", "io.virga.test.happened", subject,
                MAPPER.createObjectNode().put("subject", subject));
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     KafkaClients.consumer(kafka.bootstrapServers(), "reader-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected) {
                    // keep polling briefly to catch anything that should not be there
                    consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
                    break;
                }
            }
        }
        return out;
    }

    private static void awaitOutboxEmpty() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (eventing.relay().pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, eventing.relay().pending());
        assertTrue(Files.isDirectory(dir));
    }
}

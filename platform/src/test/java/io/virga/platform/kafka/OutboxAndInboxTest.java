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
        ConsumerRecord<String, byte[]> parked = parkedBy(group, 1).get(0);
        assertEquals("poison", new String(parked.value(), StandardCharsets.UTF_8));
        assertTrue(header(parked, DeadLetters.REASON).startsWith("not a CloudEvent"), header(parked, DeadLetters.REASON));
        assertEquals(topic, header(parked, DeadLetters.TOPIC));
    }

    @Test
    void aRecordThatKeepsFailingIsParkedWithTheReasonAndItsPartitionMovesOn() throws Exception {
        String topic = "test.poison." + UUID.randomUUID();
        CloudEvent bad = event("res-p");
        CloudEvent good = event("res-p");
        publish(topic, bad, good);
        String group = "poison-test-" + UUID.randomUUID();
        Map<String, Integer> applied = new ConcurrentHashMap<>();
        AtomicInteger attempts = new AtomicInteger();
        EventConsumerLoop loop = eventing.subscribe(group, List.of(topic), (event, tx) -> {
            if (event.id().equals(bad.id())) {
                attempts.incrementAndGet();
                throw new IllegalStateException("this event always fails");
            }
            applied.merge(event.id(), 1, Integer::sum);
        }, new EventConsumerLoop.Settings(Duration.ofSeconds(1), 3, Duration.ofSeconds(5)));

        awaitTrue("the event behind the poison applied", () -> applied.containsKey(good.id()));
        assertEquals(Map.of(good.id(), 1), applied);
        assertTrue(attempts.get() >= 3, "tried at least 3 times before parking: " + attempts.get());
        ConsumerRecord<String, byte[]> parked = parkedBy(group, 1).get(0);
        assertEquals(bad, CloudEventCodec.decode(parked.value()));
        String reason = header(parked, DeadLetters.REASON);
        assertTrue(reason.contains("this event always fails") && reason.contains(bad.id()), reason);
        assertEquals(1, loop.health().parked());
        assertEquals(null, loop.health().failingSince(), "no longer stuck");
    }

    @Test
    void aConsumerWhoseClientFailsIsMadeAgainAndAppliesEachEventOnce() throws Exception {
        String topic = "test.restart." + UUID.randomUUID();
        CloudEvent before = event("res-r");
        CloudEvent after = event("res-r");
        publish(topic, before);
        Map<String, Integer> applied = new ConcurrentHashMap<>();
        String group = "restart-test-" + UUID.randomUUID();
        EventConsumerLoop loop = eventing.subscribe(group, List.of(topic),
                (event, tx) -> applied.merge(event.id(), 1, Integer::sum));
        awaitTrue("the first event applied", () -> applied.containsKey(before.id()));
        loop.breakConsumer();
        awaitTrue("a restart", () -> loop.health().restarts() >= 1);
        awaitTrue("polling again", () -> loop.health().up());
        publish(topic, after);
        awaitTrue("the second event applied", () -> applied.containsKey(after.id()));
        assertEquals(Map.of(before.id(), 1, after.id(), 1), applied);
        assertTrue(loop.health().lastError().contains("Wakeup"), loop.health().lastError());
        assertTrue(eventing.consumers().stream().anyMatch(h -> h.name().equals(group) && h.up()));
    }

    @Test
    void inboxEntriesOlderThanTheRetentionArePrunedAndNewerOnesKept() throws Exception {
        String consumer = "prune-test-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO virga_inbox(consumer, event_id, received_at) SELECT '" + consumer
                    + "', 'old-' || g, now() - interval '3 days' FROM generate_series(1, 7000) g");
            s.execute("INSERT INTO virga_inbox(consumer, event_id) VALUES ('" + consumer + "', 'fresh')");
        }
        try (var pruner = new io.virga.platform.inbox.InboxPruner(dataSource, Duration.ofDays(2), Duration.ofHours(1))) {
            assertTrue(pruner.pruneNow() >= 7000, "two batches of old entries");
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id FROM virga_inbox WHERE consumer = '" + consumer + "'")) {
            List<String> left = new ArrayList<>();
            while (rs.next()) {
                left.add(rs.getString(1));
            }
            assertEquals(List.of("fresh"), left);
        }
    }

    private static void publish(String topic, CloudEvent... events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(kafka.bootstrapServers(), "test")) {
            for (CloudEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.subject(), CloudEventCodec.encode(e))).get();
            }
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The dead-letter records parked by consumer {@code group}, once there are {@code expected} of them. */
    private static List<ConsumerRecord<String, byte[]>> parkedBy(String group, int expected) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     KafkaClients.consumer(kafka.bootstrapServers(), "dl-reader-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(io.virga.platform.events.Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (mine.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (group.equals(header(r, DeadLetters.CONSUMER))) {
                        mine.add(r);
                    }
                }
            }
        }
        assertEquals(expected, mine.size(), "parked records of " + group);
        return mine;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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

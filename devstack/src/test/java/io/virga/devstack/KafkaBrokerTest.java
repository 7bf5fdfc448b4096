package io.virga.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void producesAndConsumesOneRecordOnAnAutoCreatedTopic() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.builder(tmp.resolve("kafka")).start()) {
            kafka.awaitReady(Duration.ofMinutes(5));
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                var meta = producer.send(new ProducerRecord<>("devstack.test", "key-1", "hello")).get();
                assertEquals("devstack.test", meta.topic());
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "devstack-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("devstack.test"));
                List<ConsumerRecord<String, String>> seen = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
                assertEquals(1, seen.size());
                assertEquals("key-1", seen.get(0).key());
                assertEquals("hello", seen.get(0).value());
                assertEquals(3, consumer.partitionsFor("devstack.test").size());
            }
            long pid = kafka.pid();
            kafka.stop();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertTrue(Files.isRegularFile(tmp.resolve("kafka/kraft-logs/meta.properties")));
        }
    }

    @Test
    void aControllerPortTakenBetweenAllocationAndBindIsReplacedByAFreshOne() throws Exception {
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(Ports.LOOPBACK, Ports.allocate()));
            int taken = thief.getLocalPort();
            AtomicInteger asked = new AtomicInteger();
            // client port first, then the controller port: that one is already bound by someone else
            IntSupplier source = () -> asked.getAndIncrement() == 1 ? taken : Ports.allocate();
            try (KafkaBroker kafka = KafkaBroker.builder(tmp.resolve("race")).portSource(source).start()) {
                kafka.awaitReady(Duration.ofMinutes(5));
                assertNotEquals(taken, kafka.controllerPort());
                assertNotEquals(taken, kafka.port());
                assertTrue(asked.get() >= 4, "fresh ports after the failed bind: " + asked.get());
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers()))) {
                    assertFalse(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty());
                }
            }
        }
    }
}

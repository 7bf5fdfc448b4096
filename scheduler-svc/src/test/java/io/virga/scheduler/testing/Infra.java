package io.virga.scheduler.testing;

import io.virga.contracts.events.v1.HostReport;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.events.CloudEventCodec;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.KafkaClients;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the integration tests do to the real PostgreSQL and Kafka: produce
 * host reports as a compute node would, wait until the service applied them,
 * read the database, and watch the allocation events on Kafka.
 */
public final class Infra {
    private final DataSource dataSource;
    private final String bootstrap;

    public Infra(DataSource dataSource, String bootstrap) {
        this.dataSource = dataSource;
        this.bootstrap = bootstrap;
    }

    /** A report of a live sim host, reported now. */
    public static HostReport.Builder report(String hostId, String name, int vcpus, long ramMb, long diskGb) {
        return HostReport.newBuilder()
                .setHostId(hostId)
                .setHostName(name)
                .setHypervisorType("sim")
                .setComputeEndpoint("127.0.0.1:" + (19000 + Math.abs(name.hashCode() % 1000)))
                .setVcpus(vcpus)
                .setRamMb(ramMb)
                .setDiskGb(diskGb)
                .setReportedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /** Empties the scheduler's tables so each test sees only its own hosts. */
    public void clean() {
        sql("DELETE FROM allocation_resources", "DELETE FROM allocations", "DELETE FROM server_groups",
                "DELETE FROM aggregates", "DELETE FROM hosts");
    }

    /** Usage of one resource class on one host, read from its inventory row. */
    public long used(String hostId, String resourceClass) {
        return queryLong("SELECT coalesce((SELECT used FROM inventories WHERE host_id = ? AND resource_class = ?), 0)",
                hostId, resourceClass);
    }

    /** Sum of the allocation rows of one class on one host. */
    public long allocated(String hostId, String resourceClass) {
        return queryLong("SELECT coalesce(sum(r.amount), 0) FROM allocation_resources r JOIN allocations a"
                + " ON a.consumer_id = r.consumer_id WHERE a.host_id = ? AND r.resource_class = ?", hostId,
                resourceClass);
    }

    /** Over-allocated inventory rows in the whole database (must be 0), and rows whose usage differs from their allocations. */
    public long brokenInventories() {
        return queryLong("""
                SELECT count(*) FROM inventories i
                 WHERE i.used > floor(greatest(i.total - i.reserved, 0) * i.allocation_ratio)
                    OR i.used <> (SELECT coalesce(sum(r.amount), 0) FROM allocation_resources r
                                    JOIN allocations a ON a.consumer_id = r.consumer_id
                                   WHERE a.host_id = i.host_id AND r.resource_class = i.resource_class)
                """);
    }

    public void sql(String... statements) {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long queryLong(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Produces the reports to Kafka (as compute nodes do) and waits until the
     * service's consumer has applied each of them (its inbox holds the event id).
     */
    public void reportAndAwait(HostReport... reports) {
        List<String> eventIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrap, "scheduler-test-node")) {
            for (HostReport r : reports) {
                CloudEvent event = CloudEvent.of("/virga/compute-node/" + r.getHostName(), Topics.TYPE_HOST_REPORT,
                        r.getHostId(), r);
                producer.send(new ProducerRecord<>(Topics.COMPUTE_HOSTS, r.getHostId(),
                        CloudEventCodec.encode(event))).get(10, TimeUnit.SECONDS);
                eventIds.add(event.id());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce host reports", e);
        }
        for (String id : eventIds) {
            await("host report " + id + " applied", Duration.ofMinutes(2), () -> queryLong(
                    "SELECT count(*) FROM virga_inbox WHERE consumer = 'scheduler-hosts' AND event_id = ?", id) == 1);
        }
    }

    /** Every record currently on the topic, read by a new consumer group from the start, until {@code done}. */
    public List<CloudEvent> awaitEvents(String topic, Duration timeout, Predicate<List<CloudEvent>> done) {
        List<CloudEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(bootstrap,
                "scheduler-test-" + UUID.randomUUID())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(seen)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("events on " + topic + " not as expected within " + timeout + ": "
                            + seen.stream().map(e -> e.type() + "/" + e.subject()).toList());
                }
                for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(CloudEventCodec.decode(rec.value()));
                }
            }
        }
        return seen;
    }

    public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}

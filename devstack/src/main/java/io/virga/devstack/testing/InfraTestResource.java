package io.virga.devstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.virga.devstack.DevstackException;
import io.virga.devstack.KafkaBroker;
import io.virga.devstack.PgDatabases;
import io.virga.devstack.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Real PostgreSQL and Kafka for a service's {@code @QuarkusTest}:
 * <pre>
 * &#64;QuarkusTestResource(value = InfraTestResource.class,
 *         initArgs = &#64;ResourceArg(name = "database", value = "virga_network"))
 * </pre>
 *
 * <p>ONE PostgreSQL and ONE Kafka broker are started per test JVM, with temporary data
 * directories, on ports outside the kernel's ephemeral range ({@code Ports.allocate()}:
 * never one an outgoing connection can hold, never the fixed ports of {@code ./virga up});
 * a bind that fails anyway (another build chose the same port) is retried on a fresh port, the first time any test class needs them; every later
 * test class (also one loaded by another Quarkus class loader) reuses them. They are
 * stopped, and their directories deleted, by a shutdown hook when the JVM exits.
 * {@link #stop()} therefore does nothing.
 *
 * <p>Init arg {@code database} (default {@code virga_test}) names the database that is
 * created (if absent) and configured. Returned configuration:
 * {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username},
 * {@code quarkus.datasource.password}, {@code virga.kafka.bootstrap-servers} and, so
 * that Quarkus dev services never look for Docker, {@code kafka.bootstrap.servers}.
 *
 * <p>PostgreSQL runs with fsync off (test data only).
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg naming the database to create and configure. */
    public static final String DATABASE_ARG = "database";
    public static final String DEFAULT_DATABASE = "virga_test";

    // JVM-global coordinates: Quarkus may load this class once per test class loader, and
    // static fields are per class loader; system properties are not.
    private static final String PG_PORT_PROPERTY = "virga.devstack.test.pg-port";
    private static final String KAFKA_PROPERTY = "virga.devstack.test.kafka-bootstrap";
    /** Interned string literal: one lock object for every class loader of this JVM. */
    private static final String GLOBAL_LOCK = "io.virga.devstack.testing.InfraTestResource#start";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE_ARG, DEFAULT_DATABASE);
    }

    @Override
    public Map<String, String> start() {
        ensureStarted();
        PgDatabases.create(pgPort(), database);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.USER,
                "virga.kafka.bootstrap-servers", kafkaBootstrap(),
                "kafka.bootstrap.servers", kafkaBootstrap());
    }

    /** Nothing: the shared infrastructure lives until the JVM exits. */
    @Override
    public void stop() {
    }

    /** {@code 127.0.0.1:<port>} of this JVM's broker; starts the infrastructure if needed. */
    public static String kafkaBootstrap() {
        ensureStarted();
        return System.getProperty(KAFKA_PROPERTY);
    }

    /** JDBC URL of {@code db} on this JVM's PostgreSQL (creating the database if absent). */
    public static String jdbcUrl(String db) {
        ensureStarted();
        PgDatabases.create(pgPort(), db);
        return PgDatabases.jdbcUrl(pgPort(), db);
    }

    private static int pgPort() {
        return Integer.parseInt(System.getProperty(PG_PORT_PROPERTY));
    }

    /**
     * Starts PostgreSQL and Kafka unless this JVM already has them (Kafka's JVM boots
     * while PostgreSQL initializes).
     *
     * @throws DevstackException if either cannot start; nothing is left running then
     */
    private static void ensureStarted() {
        synchronized (GLOBAL_LOCK) {
            if (System.getProperty(KAFKA_PROPERTY) != null) {
                return;
            }
            Path dir;
            try {
                dir = Files.createTempDirectory("virga-test-infra-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp dir for test infrastructure", e);
            }
            KafkaBroker kafka = KafkaBroker.builder(dir.resolve("kafka")).start();
            PostgresServer pg;
            try {
                pg = PostgresServer.builder(dir.resolve("pg")).durable(false).start();
            } catch (RuntimeException e) {
                kafka.stop(Duration.ofSeconds(5));
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.stop(Duration.ofSeconds(5));
                pg.stop();
                deleteTree(dir);
            }, "virga-test-infra-stop"));
            kafka.awaitReady(Duration.ofMinutes(5)); // generous: a busy 2-core machine
            System.setProperty(PG_PORT_PROPERTY, Integer.toString(pg.port()));
            System.setProperty(KAFKA_PROPERTY, kafka.bootstrapServers());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit: a left-over temp dir is harmless
        }
    }
}

package io.virga.scheduler.bench;

import io.virga.devstack.KafkaBroker;
import io.virga.devstack.PgDatabases;
import io.virga.devstack.Ports;
import io.virga.devstack.PostgresServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL (durable: fsync and synchronous commit on, as in production),
 * Kafka, and scheduler-svc replicas as separate processes
 * ({@code scheduler-svc/target/quarkus-app/quarkus-run.jar}) against one
 * database. For the scheduler bench and the two-process race test.
 */
final class BenchCloud implements AutoCloseable {
    record Replica(Process process, int grpcPort, int httpPort, Path log) {
    }

    private final Path dir;
    private final PostgresServer pg;
    private final KafkaBroker kafka;
    private final List<Replica> replicas = new ArrayList<>();

    BenchCloud(boolean durable) throws IOException {
        dir = Files.createTempDirectory("vp-bench-");
        kafka = KafkaBroker.builder(dir.resolve("kafka")).start();
        try {
            pg = PostgresServer.builder(dir.resolve("pg")).durable(durable).start();
        } catch (RuntimeException e) {
            kafka.stop(Duration.ofSeconds(5));
            throw e;
        }
        kafka.awaitReady(Duration.ofMinutes(5));
    }

    String jdbcUrl(String db) {
        PgDatabases.create(pg.port(), db);
        return PgDatabases.jdbcUrl(pg.port(), db);
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), PostgresServer.USER, PostgresServer.USER);
    }

    /** Starts {@code n} replicas on database {@code db} and waits until each is ready. */
    List<Replica> startReplicas(String db, int n, String... extraProps) throws Exception {
        Path jar = repoRoot().resolve("scheduler-svc/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package scheduler-svc first");
        }
        List<Replica> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int http = Ports.allocate();
            int grpc = Ports.allocate();
            Path log = dir.resolve("scheduler-" + db + "-" + n + "-" + i + ".log");
            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx384m", "-XX:+UseParallelGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http,
                    "-Dquarkus.grpc.server.host=127.0.0.1", "-Dquarkus.grpc.server.port=" + grpc,
                    "-Dquarkus.datasource.jdbc.url=" + jdbcUrl(db),
                    "-Dquarkus.datasource.username=" + PostgresServer.USER,
                    "-Dquarkus.datasource.password=" + PostgresServer.USER,
                    "-Dquarkus.datasource.jdbc.max-size=16",
                    "-Dquarkus.log.level=WARN",
                    "-Dquarkus.log.category.\"io.virga.scheduler.claim.LoopStats\".level=INFO",
                    "-Dvirga.kafka.bootstrap-servers=" + kafka.bootstrapServers()));
            for (String p : extraProps) {
                cmd.add("-D" + p);
            }
            cmd.addAll(List.of("-jar", jar.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Replica r = new Replica(p, grpc, http, log);
            replicas.add(r);
            started.add(r);
        }
        for (Replica r : started) {
            awaitReady(r);
        }
        return started;
    }

    void stopReplicas() throws InterruptedException {
        for (Replica r : replicas) {
            r.process().destroy();
        }
        for (Replica r : replicas) {
            if (!r.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                r.process().destroyForcibly();
            }
            try {   // keep the replica's log (its LoopStats lines are the profile)
                Path keep = repoRoot().resolve("scheduler-svc/target/bench-logs");
                Files.createDirectories(keep);
                Files.copy(r.log(), keep.resolve(r.log().getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // the log is a convenience
            }
        }
        replicas.clear();
    }

    private static void awaitReady(Replica r) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!r.process().isAlive()) {
                throw new IllegalStateException("scheduler replica exited; log " + r.log() + ":\n"
                        + tail(r.log()));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + r.httpPort()
                        + "/q/health/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("scheduler replica not ready within 3 minutes; log " + r.log());
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void sql(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return here.getFileName().toString().equals("scheduler-svc") ? here.getParent() : here;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws Exception {
        stopReplicas();
        kafka.stop(Duration.ofSeconds(5));
        pg.stop();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package io.virga.e2e;

import io.virga.devstack.Supervisor;
import io.virga.devstack.SupervisorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A whole local Virga cloud for one test class: the devstack Supervisor
 * (the code behind {@code ./virga up}) with a temp home and three simulated
 * compute nodes. host-1 and host-2 fail spawns of guests named {@code flaky-*}
 * (sim failure injection), host-3 does not.
 *
 * <p>Every port is allocated by the Supervisor outside the kernel's ephemeral
 * range and away from the fixed ports of {@code ./virga up} (so a developer's
 * running cloud and other builds are never in the way), and a process that
 * fails to bind is started again on fresh ports. The gateway's saga retry
 * budget is raised for these tests through the environment (see the failsafe
 * configuration in pom.xml), so that a service killed by a test has minutes,
 * not seconds, to come back on a busy machine.
 */
final class Cloud implements AutoCloseable {
    private final Supervisor supervisor;
    private final Api admin;

    private Cloud(Supervisor supervisor) {
        this.supervisor = supervisor;
        this.admin = new Api(supervisor.gatewayUrl(), supervisor.adminToken(), null);
    }

    /**
     * A cloud whose compute nodes run {@code mix} (e.g. {@code qemu:1,runc:1}), each node with
     * {@code nodeProperties} too; waits until every node's host is UP.
     */
    static Cloud start(io.virga.devstack.NodeMix mix, Map<String, String> nodeProperties) {
        return start(mix, nodeProperties, Map.of());
    }

    /** As {@link #start(io.virga.devstack.NodeMix, Map)}, with properties per host name too ({@code host-1} …). */
    static Cloud start(io.virga.devstack.NodeMix mix, Map<String, String> nodeProperties,
            Map<String, Map<String, String>> hostProperties) {
        Path root = Path.of(System.getProperty("virga.repo.root", "..")).toAbsolutePath().normalize();
        Path home;
        try {
            home = Files.createTempDirectory("virga-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SupervisorOptions.Builder b = mix.applyTo(SupervisorOptions.builder(SupervisorOptions.findRepoRoot(root))
                .home(home)
                .freePorts()
                .heartbeatInterval(Duration.ofSeconds(1))
                .readyTimeout(Duration.ofMinutes(5))
                .durable(false)
                .progress(line -> System.out.println("e2e: " + line)));
        nodeProperties.forEach((k, v) -> b.property("compute-node", k, v));
        hostProperties.forEach((host, props) -> props.forEach((k, v) -> b.property(host, k, v)));
        Supervisor supervisor = Supervisor.start(b.build());
        Cloud cloud = new Cloud(supervisor);
        cloud.awaitHosts(mix.count());
        return cloud;
    }

    /** The repository root (where scripts/ lives). */
    static Path repoRoot() {
        return SupervisorOptions.findRepoRoot(Path.of(System.getProperty("virga.repo.root", ".."))
                .toAbsolutePath().normalize());
    }

    static Cloud start() {
        Path root = Path.of(System.getProperty("virga.repo.root", "..")).toAbsolutePath().normalize();
        Path home;
        try {
            home = Files.createTempDirectory("virga-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        Supervisor supervisor = Supervisor.start(SupervisorOptions.builder(SupervisorOptions.findRepoRoot(root))
                .home(home)
                .freePorts()
                .computeNodes(3)
                .heartbeatInterval(Duration.ofSeconds(1))
                .readyTimeout(Duration.ofMinutes(5)) // a busy 2-core machine may boot a service slowly
                .durable(false)
                .property("host-1", "virga.compute.sim.fail-spawn-matching", "^flaky-.*")
                .property("host-2", "virga.compute.sim.fail-spawn-matching", "^flaky-.*")
                .progress(line -> System.out.println("e2e: " + line))
                .build());
        System.out.printf("e2e: cloud healthy after %.1f s (home %s)%n", (System.nanoTime() - t0) / 1e9, home);
        Cloud cloud = new Cloud(supervisor);
        cloud.awaitHosts(3);
        return cloud;
    }

    Api admin() {
        return admin;
    }

    String gatewayUrl() {
        return supervisor.gatewayUrl();
    }

    String adminToken() {
        return supervisor.adminToken();
    }

    /** A new project and a member token of it. */
    Api newProjectMember(String name) {
        String project = admin.create("/v1/projects", Map.of("name", name), 201);
        String token = admin.post("/v1/projects/" + project + "/tokens", Map.of("role", "member"))
                .then().statusCode(201).extract().path("token");
        return admin.as(token, project);
    }

    /** Raises the quota of the member's project (as the cloud admin). */
    void raiseQuota(Api member, Map<String, Object> limits) {
        String project = member.projectId();
        admin.request().contentType("application/json").body(limits)
                .put("/v1/projects/" + project + "/quotas").then().statusCode(200);
    }

    /** HTTP base URLs of every Virga service process (not PostgreSQL or Kafka), by name. */
    Map<String, String> serviceUrls() {
        Map<String, String> urls = new java.util.TreeMap<>();
        supervisor.processes().stream().filter(p -> p.httpPort() > 0 && p.healthUrl() != null
                        && p.healthUrl().contains("/q/health"))
                .forEach(p -> urls.put(p.name(), "http://127.0.0.1:" + p.httpPort()));
        return urls;
    }

    /** The value of an un-labelled Prometheus gauge of service {@code name}. */
    double metric(String name, String metric) {
        String body = io.restassured.RestAssured.given().baseUri(serviceUrls().get(name)).get("/q/metrics")
                .then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith(metric + " ") || l.startsWith(metric + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " has no metric " + metric));
    }

    /**
     * Waits (up to 2 minutes) until service {@code name} exports gauge {@code metric} with {@code expected}:
     * a process just restarted may answer its probes a moment before its meters are all bound.
     */
    void awaitMetric(String name, String metric, double expected, String why) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Double now = null;
            try {
                now = metric(name, metric);
            } catch (AssertionError notYet) {
                // not exported yet
            }
            if (now != null && now == expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why + ": " + name + " " + metric + " is " + now + ", expected " + expected);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** SIGKILLs service {@code name} (no chance to clean up) and starts it again; returns once it is ready. */
    void crashAndRestart(String name) {
        kill(name);
        restart(name);
    }

    /** SIGKILLs service {@code name}; returns once it is gone. */
    void kill(String name) {
        supervisor.process(name).kill();
    }

    /** Starts service {@code name} again with its ports and properties; returns once it is ready. */
    void restart(String name) {
        supervisor.restart(name);
    }

    /** Stops {@code name} (a service, {@code postgres} or {@code kafka}) and starts it again; returns once ready. */
    void restartAny(String name) {
        supervisor.restartAny(name);
    }

    /**
     * The first column of every row {@code sql} returns on database {@code db} (e.g. {@code virga_gateway}),
     * as strings; {@code args} bind to its {@code ?} in order.
     */
    java.util.List<String> column(String db, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(supervisor.jdbcUrl(db), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot query " + db + ": " + e.getMessage(), e);
        }
    }

    /** Runs update {@code sql} on database {@code db} (tests that break things on purpose); returns the rows changed. */
    int update(String db, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(supervisor.jdbcUrl(db), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update " + db + ": " + e.getMessage(), e);
        }
    }

    /** Claims the scheduler holds for {@code consumer}, read from its own database. */
    int claimsOf(String consumer) {
        try (Connection c = DriverManager.getConnection(supervisor.jdbcUrl("virga_scheduler"), "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM allocations WHERE consumer_id = ?")) {
            ps.setString(1, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the scheduler's allocations", e);
        }
    }

    /** Waits until the scheduler knows {@code n} hosts that are UP (their first heartbeats arrived). */
    void awaitHosts(int n) {
        admin.await("/v1/hosts", Duration.ofMinutes(3), r -> r.statusCode() == 200
                && r.jsonPath().getList("items.findAll { it.status == 'UP' }").size() >= n);
    }

    /** Waits until the scheduler has a heartbeat of host {@code name} sent after {@code after}. */
    void awaitHeartbeatAfter(String name, Instant after) {
        admin.await("/v1/hosts", Duration.ofMinutes(3), r -> {
            if (r.statusCode() != 200) {
                return false;
            }
            String last = r.jsonPath().getString("items.find { it.name == '" + name + "' }.last_heartbeat_at");
            return last != null && Instant.parse(last).isAfter(after);
        });
    }

    @Override
    public void close() {
        System.out.println(OpenApiContract.summary());
        supervisor.close();
    }
}

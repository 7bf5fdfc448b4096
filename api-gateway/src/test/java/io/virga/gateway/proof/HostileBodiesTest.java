package io.virga.gateway.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.fakes.FakeServicesResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import javax.sql.DataSource;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * Property: no body, however malformed or hostile ({@link HostileBodies}), makes any operation of the served
 * document answer 5xx, and a refused request (4xx) writes nothing: the gateway database's row counts and project
 * A's resources are the same after a route's refused bodies as before. Bodies are sent as the cloud admin (the
 * caller who gets deepest into every handler), on project A's resources.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class HostileBodiesTest {
    static final int TRIES_PER_ROUTE = 40;
    static final String[] TABLES = {"projects", "api_tokens", "flavors", "keypairs", "instances", "operations",
        "instance_keys", "project_quotas"};

    @Inject
    DataSource ds;

    @Test
    void noHostileBodyCausesA5xxOrAPartialWrite() {
        net.jqwik.api.sessions.JqwikSession.start();
        try {
            run();
        } finally {
            net.jqwik.api.sessions.JqwikSession.finish();
        }
    }

    private void run() {
        TestApi.TestProject a = TestApi.newProject("hostile");
        ProjectState.Fixture fixture = ProjectState.populate(a);
        Arbitrary<byte[]> bodies = HostileBodies.any();
        Random random = new Random(20261203L);
        java.util.Map<String, String> failures = new java.util.TreeMap<>(); // "op status type" -> one example
        java.util.Map<String, Integer> failureCounts = new java.util.TreeMap<>();
        java.util.Set<String> missingFakes = new java.util.TreeSet<>();
        int sent = 0;
        for (ServedRoutes.Operation op : ServedRoutes.read()) {
            if (!op.mutating() || op.path().equals("/v1/events")) {
                continue;
            }
            String path = fixture.fill(op.path());
            String stateBefore = ProjectState.of(a) + counts();
            boolean wrote = false;
            for (byte[] body : HostileBodies.sample(bodies, random, TRIES_PER_ROUTE)) {
                Response r = ServedRoutes.send(TestApi.asAdmin(), op, path, body);
                sent++;
                String answer = r.asString();
                if (r.statusCode() == 502 && answer.contains("UNIMPLEMENTED")) {
                    missingFakes.add(op.toString()); // the test's fake service lacks this rpc: not exercised
                    continue;
                }
                String problem = null;
                if (r.statusCode() >= 500) {
                    problem = op + " " + r.statusCode();
                } else if (r.statusCode() < 400) {
                    wrote = true; // a body that happened to be valid: its write is allowed
                } else if (r.contentType() == null || !r.contentType().startsWith("application/problem+json")) {
                    problem = op + " " + r.statusCode() + " without a problem body";
                }
                if (problem != null) {
                    failures.putIfAbsent(problem, HostileBodies.show(body) + " -> " + answer);
                    failureCounts.merge(problem, 1, Integer::sum);
                }
            }
            if (!wrote) {
                String after = ProjectState.of(a) + counts();
                if (!after.equals(stateBefore)) {
                    failures.put(op + " refused bodies changed state", "");
                    failureCounts.merge(op + " refused bodies changed state", 1, Integer::sum);
                }
            }
        }
        System.out.println("HostileBodiesTest: " + sent + " bodies sent; not exercised (fake service lacks the rpc): "
                + missingFakes);
        assertTrue(sent >= 40 * 20, "only " + sent + " bodies sent");
        StringBuilder report = new StringBuilder();
        failures.forEach((k, v) -> report.append(k).append(" x").append(failureCounts.get(k)).append(", e.g. ")
                .append(v, 0, Math.min(400, v.length())).append('\n'));
        assertTrue(failures.isEmpty(), failures.size() + " kinds of failure in " + sent + " requests:\n" + report);
        assertEquals(0, failures.size());
    }

    private String counts() {
        StringBuilder s = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String t : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    s.append(t).append('=').append(rs.getLong(1)).append(' ');
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return s.toString();
    }
}

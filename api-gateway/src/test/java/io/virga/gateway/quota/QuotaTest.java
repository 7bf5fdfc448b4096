package io.virga.gateway.quota;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.error.ApiException;
import io.virga.gateway.fakes.FakeServicesResource;
import io.virga.platform.db.Tx;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class QuotaTest {
    @Inject
    QuotaService quotas;
    @Inject
    Tx tx;

    @Test
    void newProjectsGetTheDefaults() {
        TestProject p = TestApi.newProject("quota");
        as(p.reader()).get("/v1/projects/" + p.id() + "/quotas").then().statusCode(200)
                .body("limits.instances", equalTo(10)).body("limits.vcpus", equalTo(20))
                .body("limits.ram_mb", equalTo(51200)).body("usage.instances", equalTo(0));
        as(p.reader()).get("/v1/usage").then().statusCode(200).body("limits.vcpus", equalTo(20))
                .body("usage.ram_mb", equalTo(0));
    }

    @Test
    void cloudAdminSetsLimitsEvenBelowUsageThenReservationsFail() {
        TestProject p = TestApi.newProject("quota");
        tx.run(c -> {
            quotas.reserve(c, p.id(), new Usage(2, 4, 4096));
            return null;
        });
        asAdmin().body(Map.of("instances", 1, "vcpus", 2)).put("/v1/projects/" + p.id() + "/quotas").then()
                .statusCode(200).body("limits.instances", equalTo(1)).body("limits.vcpus", equalTo(2))
                .body("limits.ram_mb", equalTo(51200)).body("usage.instances", equalTo(2));
        ApiException e = assertThrows(ApiException.class, () -> tx.run(c -> {
            quotas.reserve(c, p.id(), new Usage(1, 1, 512));
            return null;
        }));
        assertEquals(403, e.status());
        assertEquals("https://virga.dev/problems/quota-exceeded", e.type());
        assertEquals("quota exceeded: instances 2 + 1 > 1, vcpus 4 + 1 > 2", e.detail());
        // releasing is always possible, and never goes below zero
        tx.run(c -> {
            quotas.release(c, p.id(), new Usage(5, 50, 100_000));
            return null;
        });
        as(p.admin()).get("/v1/usage").then().body("usage.instances", equalTo(0)).body("usage.vcpus", equalTo(0))
                .body("usage.ram_mb", equalTo(0));
    }

    @Test
    void onlyCloudAdminsChangeLimits() {
        TestProject p = TestApi.newProject("quota");
        as(p.admin()).body(Map.of("instances", 100)).put("/v1/projects/" + p.id() + "/quotas").then()
                .statusCode(403);
        asAdmin().body(Map.of("instances", 1)).put("/v1/projects/prj-000000000000/quotas").then().statusCode(404);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"instances\": -1}          | instances",
        "{\"vcpus\": -5}              | vcpus",
        "{\"ram_mb\": -1}             | ram_mb",
        "{\"instances\": 1.5}         | instances",
        "{\"instances\": \"3\"}       | instances",
        "{\"instances\": 3000000000}  | instances",
        "{}                           | instances",
        "{\"cores\": 4}               | cores",
    })
    void invalidLimitsAre400AndChangeNothing(String body, String field) {
        TestProject p = TestApi.newProject("quota");
        asAdmin().body(body).put("/v1/projects/" + p.id() + "/quotas").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        as(p.reader()).get("/v1/usage").then().body("limits.instances", equalTo(10))
                .body("limits.vcpus", equalTo(20)).body("limits.ram_mb", equalTo(51200));
    }

    @Test
    void twentyConcurrentReservationsOnlyFiveFit() throws Exception {
        TestProject p = TestApi.newProject("race");
        asAdmin().body(Map.of("instances", 5)).put("/v1/projects/" + p.id() + "/quotas").then().statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try {
                    tx.run(c -> {
                        quotas.reserve(c, p.id(), new Usage(1, 1, 256));
                        Thread.sleep(5); // hold the lock a little, as a real create would
                        return null;
                    });
                    return true;
                } catch (ApiException e) {
                    assertEquals(403, e.status());
                    return false;
                }
            }));
        }
        start.countDown();
        int ok = 0;
        for (Future<Boolean> f : results) {
            if (f.get(60, TimeUnit.SECONDS)) {
                ok++;
            }
        }
        pool.shutdown();
        assertEquals(5, ok);
        as(p.reader()).get("/v1/usage").then().body("usage.instances", equalTo(5)).body("usage.vcpus", equalTo(5))
                .body("usage.ram_mb", equalTo(1280));
    }
}

package io.virga.gateway.audit;

import static io.virga.gateway.TestApi.as;
import static io.virga.gateway.TestApi.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.gateway.TestApi;
import io.virga.gateway.TestApi.TestProject;
import io.virga.gateway.fakes.FakeServicesResource;
import org.junit.jupiter.api.Test;

/**
 * REST shape of the consistency audit (services faked over gRPC; the real comparison runs
 * end to end in ChaosIT, against a real cloud).
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "virga_gateway"))
@QuarkusTestResource(value = FakeServicesResource.class, restrictToAnnotatedClass = true)
class AuditResourceTest {

    @Test
    void onlyCloudAdminsAuditAndBadFlagsAreRefused() {
        TestProject p = TestApi.newProject("audit");
        as(p.admin()).post("/v1/admin/consistency-audit").then().statusCode(403);
        asAdmin().post("/v1/admin/consistency-audit?repair=maybe").then().statusCode(400)
                .body("detail", notNullValue());
    }

    @Test
    void anAuditReportsWhatItCheckedAndCountsEveryKind() {
        TestApi.newProject("audit-2");
        asAdmin().post("/v1/admin/consistency-audit").then().statusCode(200)
                .body("repair", equalTo(false))
                .body("checked.projects", greaterThanOrEqualTo(1))
                .body("counts.orphan_port", equalTo(0))
                .body("counts.orphan_volume", equalTo(0))
                .body("counts.missing_port", equalTo(0))
                .body("counts.missing_volume", equalTo(0));
    }
}

package io.virga.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code virga admin audit} against canned answers of both audit endpoints. */
class AdminAuditTest {
    private static final String CONSISTENCY = "{\"started_at\":\"t\",\"repair\":%s,\"checked\":{\"instances\":2},"
            + "\"counts\":{\"orphan_port\":1},\"findings\":[{\"kind\":\"ORPHAN_PORT\",\"resource_id\":\"p-1\","
            + "\"instance_id\":\"i-9\",\"project_id\":\"prj-1\",\"host\":null,\"detail\":\"port p-1 is bound to i-9,"
            + " which is DELETED\",\"repaired\":%s}]}";
    private static final String PLACEMENT = "{\"started_at\":\"t\",\"repair\":false,\"claims_checked\":3,"
            + "\"instances_checked\":2,\"orphans\":[{\"consumer_id\":\"i-8\",\"host_id\":\"h-1\",\"project_id\":\"prj-1\","
            + "\"reason\":\"instance is DELETED\",\"released\":false}],\"mismatched\":[],"
            + "\"missing_claims\":[{\"instance_id\":\"i-7\",\"project_id\":\"prj-1\",\"status\":\"ACTIVE\","
            + "\"host_id\":\"h-2\"}],\"released\":0}";

    private FakeApi api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void bothAuditsFindingsAreOneTable() {
        api.onJson("POST /v1/admin/consistency-audit", 200, String.format(CONSISTENCY, false, false));
        api.onJson("POST /v1/admin/placement/audit", 200, PLACEMENT);
        Run r = Run.against(api, "admin", "audit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("consistency  orphan_port"), r.out());
        assertTrue(r.out().contains("placement    orphan_claim"), r.out());
        assertTrue(r.out().contains("placement    missing_claim"), r.out());
        assertTrue(r.err().startsWith("3 finding(s)"), r.err());
    }

    @Test
    void repairIsPassedToBothAndJsonKeepsBothAnswers() throws Exception {
        api.onJson("POST /v1/admin/consistency-audit?repair=true", 200, String.format(CONSISTENCY, true, true));
        api.onJson("POST /v1/admin/placement/audit?repair=true", 200, PLACEMENT);
        Run r = Run.against(api, "admin", "audit", "--repair", "-o", "json");
        assertEquals(0, r.code(), r.err());
        var tree = VirgaCli.JSON.readTree(r.out());
        assertEquals(true, tree.path("consistency").path("findings").get(0).path("repaired").asBoolean());
        assertEquals(3, tree.path("placement").path("claims_checked").asInt());
    }
}

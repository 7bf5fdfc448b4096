package io.virga.gateway.placement.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The audit's judgement of one claim, table-driven ({@link ClaimVerdict}'s table). */
class ClaimVerdictTest {
    private static final Instant START = Instant.parse("2026-12-03T07:00:00Z");
    private static final Instant BEFORE = START.minusSeconds(60);
    private static final Instant AFTER = START.plusSeconds(1);

    @ParameterizedTest(name = "{0} {1} task={2} host={3} changed={4} moving={5} -> {6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // consumer   | instance status | task       | host | changed | moving | verdict
        "i-a          | -               | -          | -    | before  | false  | ORPHAN",
        "i-a          | DELETED         | -          | -    | before  | false  | ORPHAN",
        "i-a          | DELETED         | -          | -    | after   | false  | OK",
        "i-a          | ERROR           | -          | -    | before  | false  | ORPHAN",
        "i-a          | ERROR           | -          | -    | after   | false  | OK",
        "i-a          | ERROR           | deleting   | -    | before  | false  | OK",
        "i-a          | ERROR           | -          | h-1  | before  | false  | OK",
        "i-a          | BUILDING        | scheduling | -    | before  | false  | OK",
        "i-a          | ACTIVE          | -          | h-1  | before  | false  | OK",
        "i-a          | ACTIVE          | -          | h-2  | before  | false  | MISMATCH",
        "i-a          | ACTIVE          | -          | h-2  | after   | false  | OK",
        "i-a          | ACTIVE          | -          | h-2  | before  | true   | OK",
        "i-a          | DELETING        | deleting   | h-1  | before  | false  | OK",
        "x-a          | -               | -          | -    | before  | false  | ORPHAN",
    })
    void instanceClaims(String consumer, String status, String task, String host, String changed, boolean moving,
                        ClaimVerdict.Kind expected) {
        Instant at = changed.equals("before") ? BEFORE : AFTER;
        AuditFacts.InstanceFact i = status == null ? null : new AuditFacts.InstanceFact(consumer, "prj-a", status,
                task, host, at, status.equals("DELETED") ? at : null);
        assertEquals(expected, ClaimVerdict.judge(consumer, "h-1", i, null, moving, START).kind());
    }

    @ParameterizedTest(name = "{0} changed={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "-             | before | ORPHAN",
        "pre-migrating | before | OK",
        "finished      | before | OK",
        "confirmed     | before | ORPHAN",
        "reverted      | before | ORPHAN",
        "completed     | before | ORPHAN",
        "error         | before | ORPHAN",
        "error         | after  | OK",
    })
    void migrationClaims(String status, String changed, ClaimVerdict.Kind expected) {
        AuditFacts.MigrationFact m = status == null ? null : new AuditFacts.MigrationFact("mig-a", "i-a", status,
                changed.equals("before") ? BEFORE : AFTER);
        assertEquals(expected, ClaimVerdict.judge("mig-a", "h-1", null, m, false, START).kind());
    }
}

package io.virga.gateway.placement.audit;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.ListClaimsRequest;
import io.virga.contracts.scheduler.v1.ListClaimsResponse;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.gateway.error.GrpcProblems;
import io.virga.gateway.placement.SchedulerStub;
import io.virga.platform.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the scheduler's claims with the gateway's instances and migrations ({@link ClaimVerdict}) and, when
 * asked to repair, releases the orphans.
 *
 * <p>Steps: note the start; page through every claim ({@code ListClaims}, 500 a page) and judge each page
 * against the instances and migrations it names (one query each); then page through the settled instances on
 * a host that did not change since the start and report those without a claim. Repair re-reads an orphan's
 * record just before releasing it (a claim judged an orphan is released only if it still is one), and a
 * release is idempotent, so running audits side by side, or beside the flows, frees nothing that is in use.
 * Instances without a claim and mismatched hosts are reported, never repaired (a claim can only be made by
 * the scheduler's filters; an operator decides).
 *
 * <p>Cost: one gRPC page per 500 claims, two indexed queries per page, one keyset query per 500 instances.
 */
@ApplicationScoped
public class ClaimAudit {
    static final int PAGE = 500;

    private final SchedulerStub scheduler;
    private final Tx tx;

    public ClaimAudit(SchedulerStub scheduler, Tx tx) {
        this.scheduler = scheduler;
        this.tx = tx;
    }

    /** A claim the audit reports; {@code released} only after a repair released it. */
    public record Finding(String consumerId, String hostId, String projectId, String reason, boolean released) {
    }

    /** An instance on a host without a claim. */
    public record Missing(String instanceId, String projectId, String status, String hostId) {
    }

    /** The audit's answer. */
    public record Report(Instant startedAt, boolean repair, int claimsChecked, int instancesChecked,
                         List<Finding> orphans, List<Finding> mismatched, List<Missing> missingClaims,
                         int released) {
    }

    /**
     * Runs the audit.
     *
     * @param repair release the orphans found
     * @throws io.virga.gateway.error.ApiException 503 when the scheduler cannot answer (nothing released
     *         after the failure)
     */
    public Report run(boolean repair) {
        Instant started = Instant.now();
        List<Finding> orphans = new ArrayList<>();
        List<Finding> mismatched = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        int checked = 0;
        String token = "";
        do {
            String pageToken = token;
            ListClaimsResponse page = GrpcProblems.call(() -> scheduler.get().listClaims(ListClaimsRequest
                    .newBuilder().setPageSize(PAGE).setPageToken(pageToken).build()));
            checked += page.getClaimsCount();
            judge(page.getClaimsList(), started, orphans, mismatched, claimed);
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        List<Missing> missing = new ArrayList<>();
        int instances = missingClaims(started, claimed, missing);
        List<Finding> reported = repair ? repair(orphans, started) : orphans;
        int released = (int) reported.stream().filter(Finding::released).count();
        return new Report(started, repair, checked, instances, reported, mismatched, missing, released);
    }

    private void judge(List<Claim> claims, Instant started, List<Finding> orphans, List<Finding> mismatched,
                       Set<String> claimed) {
        List<String> ids = claims.stream().map(Claim::getConsumerId).toList();
        claimed.addAll(ids);
        Map<String, AuditFacts.InstanceFact> instances = tx.run(c -> AuditFacts.instances(c,
                ids.stream().filter(id -> id.startsWith("i-")).toList()));
        Map<String, AuditFacts.MigrationFact> migrations = tx.run(c -> AuditFacts.migrations(c,
                ids.stream().filter(id -> id.startsWith("mig-")).toList()));
        for (Claim claim : claims) {
            ClaimVerdict v = verdict(claim, instances.get(claim.getConsumerId()),
                    migrations.get(claim.getConsumerId()), started);
            Finding f = new Finding(claim.getConsumerId(), claim.getHostId(), claim.getProjectId(), v.reason(),
                    false);
            switch (v.kind()) {
                case ORPHAN -> orphans.add(f);
                case MISMATCH -> mismatched.add(f);
                case OK -> {
                }
            }
        }
    }

    private ClaimVerdict verdict(Claim claim, AuditFacts.InstanceFact instance, AuditFacts.MigrationFact migration,
                                 Instant started) {
        boolean moving = instance != null && instance.hostId() != null && !instance.hostId().equals(claim.getHostId())
                && tx.run(c -> AuditFacts.moving(c, instance.id()));
        return ClaimVerdict.judge(claim.getConsumerId(), claim.getHostId(), instance, migration, moving, started);
    }

    private int missingClaims(Instant started, Set<String> claimed, List<Missing> missing) {
        int seen = 0;
        String after = "";
        while (true) {
            String from = after;
            List<AuditFacts.InstanceFact> page = tx.run(c -> AuditFacts.holding(c, started, from, PAGE));
            for (AuditFacts.InstanceFact i : page) {
                seen++;
                if (!claimed.contains(i.id())) {
                    missing.add(new Missing(i.id(), i.projectId(), i.status(), i.hostId()));
                }
            }
            if (page.size() < PAGE) {
                return seen;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Releases each orphan that is still one when re-read; the findings with {@code released} set. */
    private List<Finding> repair(List<Finding> orphans, Instant started) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : orphans) {
            String id = f.consumerId();
            AuditFacts.InstanceFact instance = id.startsWith("i-")
                    ? tx.run(c -> AuditFacts.instances(c, List.of(id))).get(id) : null;
            AuditFacts.MigrationFact migration = id.startsWith("mig-")
                    ? tx.run(c -> AuditFacts.migrations(c, List.of(id))).get(id) : null;
            ClaimVerdict again = ClaimVerdict.judge(id, f.hostId(), instance, migration, false, started);
            if (again.kind() != ClaimVerdict.Kind.ORPHAN) {
                out.add(new Finding(id, f.hostId(), f.projectId(), f.reason() + "; changed since, not released",
                        false));
                continue;
            }
            ReleaseResponse r = release(id);
            out.add(new Finding(id, f.hostId(), f.projectId(), f.reason(), r.getReleased()));
        }
        return out;
    }

    private ReleaseResponse release(String consumerId) {
        try {
            return scheduler.get().releaseClaim(ReleaseRequest.newBuilder().setConsumerId(consumerId).build());
        } catch (StatusRuntimeException e) {
            throw GrpcProblems.from(e);
        }
    }
}

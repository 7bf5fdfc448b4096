package io.virga.gateway.instance.fakes;

import io.grpc.stub.StreamObserver;
import io.virga.contracts.scheduler.v1.Claim;
import io.virga.contracts.scheduler.v1.FilterRejection;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.contracts.scheduler.v1.Resources;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.Unschedulable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory scheduler-svc: hosts with vcpus and RAM, claims per consumer
 * (SelectAndClaim idempotent on consumer, never on an excluded host, never
 * over capacity, never on a host lacking a required trait or having a
 * forbidden one; "no host fits" is an Unschedulable answer naming the
 * filter and resource, as scheduler-svc's), ReleaseClaim idempotent.
 */
public final class FakeScheduler extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    public final Failures failures = new Failures();
    private final List<Host> hosts = new ArrayList<>();
    private final Map<String, Claim> claims = new HashMap<>();
    private final java.util.Set<String> down = new java.util.HashSet<>();

    /** A host: its capacity, where its compute node listens, and its traits (as its node reports them now). */
    public record Host(String id, String name, String endpoint, int vcpus, long ramMb,
                       java.util.function.Supplier<java.util.Set<String>> traits) {
    }

    public synchronized void addHost(Host host) {
        hosts.add(host);
    }

    /** The host stops (or starts again) heartbeating: status DOWN, never chosen. */
    public synchronized void down(String hostId, boolean isDown) {
        if (isDown) {
            down.add(hostId);
        } else {
            down.remove(hostId);
        }
    }

    /** Every claim now, by consumer. */
    public synchronized Map<String, Claim> claims() {
        return Map.copyOf(claims);
    }

    /** Puts {@code claim} in place of whatever its consumer held (a test's way to make an orphan or a mismatch). */
    public synchronized void putClaim(Claim claim) {
        claims.put(claim.getConsumerId(), claim);
    }

    /** Forgets {@code consumerId}'s claim without a release (a test's way to lose a claim). */
    public synchronized void dropClaim(String consumerId) {
        claims.remove(consumerId);
    }

    /** Claims by consumer id, paged as scheduler-svc's ListClaims (the token is the last consumer id). */
    @Override
    public void listClaims(io.virga.contracts.scheduler.v1.ListClaimsRequest req,
                           StreamObserver<io.virga.contracts.scheduler.v1.ListClaimsResponse> out) {
        Answer.of(out, () -> {
            failures.check("ListClaims");
            synchronized (this) {
                int size = req.getPageSize() == 0 ? 100 : Math.min(req.getPageSize(), 1000);
                List<Claim> page = claims.values().stream().sorted(Comparator.comparing(Claim::getConsumerId))
                        .filter(c -> c.getConsumerId().compareTo(req.getPageToken()) > 0).limit(size + 1L).toList();
                var b = io.virga.contracts.scheduler.v1.ListClaimsResponse.newBuilder();
                page.stream().limit(size).forEach(b::addClaims);
                if (page.size() > size) {
                    b.setNextPageToken(page.get(size - 1).getConsumerId());
                }
                return b.build();
            }
        });
    }

    /** The claim held by {@code consumerId}, if any. */
    public synchronized Optional<Claim> claimOf(String consumerId) {
        return Optional.ofNullable(claims.get(consumerId));
    }

    @Override
    public void selectAndClaim(SelectRequest req, StreamObserver<SelectResponse> out) {
        Answer.of(out, () -> {
            failures.check("SelectAndClaim");
            synchronized (this) {
                Claim held = claims.get(req.getConsumerId());
                if (held != null) {
                    return SelectResponse.newBuilder().setClaim(held).build();
                }
                return select(req);
            }
        });
    }

    private SelectResponse select(SelectRequest req) {
        Resources want = req.getResources();
        List<Host> candidates = hosts.stream().filter(h -> !req.getExcludedHostsList().contains(h.id()))
                .filter(h -> !down.contains(h.id()))
                .filter(h -> req.getRequestedHost().isEmpty() || req.getRequestedHost().equals(h.id())).toList();
        int excluded = hosts.size() - candidates.size();
        List<Host> withTraits = candidates.stream()
                .filter(h -> h.traits().get().containsAll(req.getRequiredTraitsList())).toList();
        List<Host> allowed = withTraits.stream()
                .filter(h -> java.util.Collections.disjoint(h.traits().get(), req.getForbiddenTraitsList())).toList();
        if (allowed.isEmpty() && !candidates.isEmpty()) {
            return traitsUnschedulable(req, candidates, withTraits, excluded);
        }
        candidates = allowed;
        List<Host> cpuFits = candidates.stream().filter(h -> freeVcpus(h) >= want.getVcpus()).toList();
        List<Host> fits = cpuFits.stream().filter(h -> freeRam(h) >= want.getRamMb()).toList();
        if (fits.isEmpty()) {
            Unschedulable.Builder u = Unschedulable.newBuilder().setHostsConsidered(hosts.size());
            if (excluded > 0) {
                u.addRejections(FilterRejection.newBuilder().setFilter("ExcludedHostsFilter")
                        .setHostsRejected(excluded).setReason("already failed this request"));
            }
            if (cpuFits.size() < candidates.size()) {
                u.addRejections(FilterRejection.newBuilder().setFilter("VcpuFilter")
                        .setHostsRejected(candidates.size() - cpuFits.size())
                        .setReason("needs " + want.getVcpus() + " vCPUs"));
            }
            long mostFree = cpuFits.stream().mapToLong(this::freeRam).max().orElse(0);
            if (!cpuFits.isEmpty()) {
                u.addRejections(FilterRejection.newBuilder().setFilter("RamFilter").setHostsRejected(cpuFits.size())
                        .setReason("needs " + want.getRamMb() + " MB RAM, most free is " + mostFree + " MB"));
            }
            String message = candidates.isEmpty() ? "no host left to try"
                    : cpuFits.isEmpty() ? "no host has " + want.getVcpus() + " free vCPUs"
                    : "no host has " + gib(want.getRamMb()) + " free RAM";
            return SelectResponse.newBuilder().setUnschedulable(u.setMessage(message)).build();
        }
        Host best = fits.stream().max(Comparator.comparingLong(this::freeRam)).orElseThrow();
        Claim claim = Claim.newBuilder().setConsumerId(req.getConsumerId()).setHostId(best.id())
                .setHostName(best.name()).setComputeEndpoint(best.endpoint()).setResources(want).build();
        claims.put(req.getConsumerId(), claim);
        return SelectResponse.newBuilder().setClaim(claim).build();
    }

    /** As scheduler-svc's TraitsFilter and ForbiddenTraitsFilter answer when no host passes them. */
    private SelectResponse traitsUnschedulable(SelectRequest req, List<Host> candidates, List<Host> withTraits,
                                               int excluded) {
        Unschedulable.Builder u = Unschedulable.newBuilder().setHostsConsidered(hosts.size());
        if (excluded > 0) {
            u.addRejections(FilterRejection.newBuilder().setFilter("ExcludedHostsFilter")
                    .setHostsRejected(excluded).setReason("already failed this request"));
        }
        if (withTraits.size() < candidates.size()) {
            java.util.Map<String, Integer> missing = new java.util.TreeMap<>();
            candidates.stream().filter(h -> !withTraits.contains(h)).forEach(h -> req.getRequiredTraitsList().stream()
                    .filter(t -> !h.traits().get().contains(t)).forEach(t -> missing.merge(t, 1, Integer::sum)));
            u.addRejections(FilterRejection.newBuilder().setFilter("TraitsFilter")
                    .setHostsRejected(candidates.size() - withTraits.size()).setReason("missing " + counts(missing)));
        }
        if (!withTraits.isEmpty()) {
            java.util.Map<String, Integer> present = new java.util.TreeMap<>();
            withTraits.forEach(h -> req.getForbiddenTraitsList().stream().filter(t -> h.traits().get().contains(t))
                    .forEach(t -> present.merge(t, 1, Integer::sum)));
            u.addRejections(FilterRejection.newBuilder().setFilter("ForbiddenTraitsFilter")
                    .setHostsRejected(withTraits.size()).setReason("forbidden " + counts(present)));
        }
        String message = withTraits.isEmpty()
                ? "no host has the required traits " + String.join(", ", new java.util.TreeSet<>(req.getRequiredTraitsList()))
                : "every host has a forbidden trait of " + String.join(", ",
                        new java.util.TreeSet<>(req.getForbiddenTraitsList()));
        return SelectResponse.newBuilder().setUnschedulable(u.setMessage(message)).build();
    }

    private static String counts(java.util.Map<String, Integer> byTrait) {
        return byTrait.entrySet().stream().map(e -> e.getKey() + " on " + e.getValue()
                + (e.getValue() == 1 ? " host" : " hosts")).collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public void getHost(io.virga.contracts.scheduler.v1.GetHostRequest req,
                        StreamObserver<io.virga.contracts.scheduler.v1.Host> out) {
        Answer.of(out, () -> {
            failures.check("GetHost");
            synchronized (this) {
                Host h = hosts.stream().filter(x -> x.id().equals(req.getId())).findFirst()
                        .orElseThrow(() -> io.virga.platform.grpc.GrpcErrors.notFound("host", req.getId()));
                return io.virga.contracts.scheduler.v1.Host.newBuilder().setId(h.id()).setName(h.name())
                        .setHypervisorType("sim").setComputeEndpoint(h.endpoint())
                        .setStatus(down.contains(h.id()) ? "DOWN" : "UP").setEnabled(true)
                        .addAllTraits(new java.util.TreeSet<>(h.traits().get())).build();
            }
        });
    }

    @Override
    public void releaseClaim(ReleaseRequest req, StreamObserver<ReleaseResponse> out) {
        Answer.of(out, () -> {
            failures.check("ReleaseClaim");
            synchronized (this) {
                Claim c = claims.remove(req.getConsumerId());
                return c == null ? ReleaseResponse.newBuilder().setReleased(false).build()
                        : ReleaseResponse.newBuilder().setReleased(true).setHostId(c.getHostId()).build();
            }
        });
    }

    @Override
    public void transferClaim(io.virga.contracts.scheduler.v1.TransferClaimRequest req,
                              StreamObserver<io.virga.contracts.scheduler.v1.TransferClaimResponse> out) {
        Answer.of(out, () -> {
            failures.check("TransferClaim");
            synchronized (this) {
                var b = io.virga.contracts.scheduler.v1.TransferClaimResponse.newBuilder();
                Claim from = claims.remove(req.getFromConsumerId());
                if (from != null) {
                    Claim old = claims.remove(req.getToConsumerId());
                    if (old != null) {
                        b.setReleasedHostId(old.getHostId());
                    }
                    claims.put(req.getToConsumerId(), from.toBuilder().setConsumerId(req.getToConsumerId()).build());
                    b.setTransferred(true);
                }
                Claim now = claims.get(req.getToConsumerId());
                if (now != null) {
                    b.setClaim(now);
                }
                return b.build();
            }
        });
    }

    private long freeRam(Host h) {
        return h.ramMb() - claims.values().stream().filter(c -> c.getHostId().equals(h.id()))
                .mapToLong(c -> c.getResources().getRamMb()).sum();
    }

    private long freeVcpus(Host h) {
        return h.vcpus() - claims.values().stream().filter(c -> c.getHostId().equals(h.id()))
                .mapToLong(c -> c.getResources().getVcpus()).sum();
    }

    private static String gib(long mb) {
        return mb % 1024 == 0 ? (mb / 1024) + " GiB" : String.format("%.1f GiB", mb / 1024.0);
    }
}

package io.virga.scheduler.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.virga.contracts.scheduler.v1.Aggregate;
import io.virga.contracts.scheduler.v1.AggregateHostRequest;
import io.virga.contracts.scheduler.v1.CreateServerGroupRequest;
import io.virga.contracts.scheduler.v1.DeleteAggregateResponse;
import io.virga.contracts.scheduler.v1.DeleteServerGroupRequest;
import io.virga.contracts.scheduler.v1.DeleteServerGroupResponse;
import io.virga.contracts.scheduler.v1.GetAggregateRequest;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.GetServerGroupRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.HostActionRequest;
import io.virga.contracts.scheduler.v1.ListAggregatesRequest;
import io.virga.contracts.scheduler.v1.ListAggregatesResponse;
import io.virga.contracts.scheduler.v1.ListClaimsRequest;
import io.virga.contracts.scheduler.v1.ListClaimsResponse;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.contracts.scheduler.v1.ListServerGroupsRequest;
import io.virga.contracts.scheduler.v1.ListServerGroupsResponse;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.ServerGroup;
import io.virga.contracts.scheduler.v1.SetInventoryRequest;
import io.virga.contracts.scheduler.v1.TransferClaimRequest;
import io.virga.contracts.scheduler.v1.TransferClaimResponse;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.platform.ids.Ids;
import io.virga.scheduler.SchedulerConfig;
import io.virga.scheduler.aggregate.AggregateStore;
import io.virga.scheduler.claim.Claim;
import io.virga.scheduler.claim.ClaimOutcome;
import io.virga.scheduler.claim.ClaimService;
import io.virga.scheduler.claim.ClaimStore;
import io.virga.scheduler.group.GroupStore;
import io.virga.scheduler.host.HostAdmin;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStore;
import io.virga.scheduler.host.LivenessClock;
import io.virga.scheduler.host.ResourceClass;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * {@code virga.scheduler.v1.SchedulerService}. "No host fits" is a normal
 * answer (SelectResponse.unschedulable); bad input is INVALID_ARGUMENT and
 * changes nothing; an unknown host, group or aggregate is NOT_FOUND; a change
 * refused because of current state (inventory below allocations, a host in
 * two zones, a group with members) is FAILED_PRECONDITION; heavy contention
 * that outlasted every retry is ABORTED (nothing claimed, safe to retry).
 */
@GrpcService
public class SchedulerGrpcService extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final ClaimService claims;
    private final HostStore hosts;
    private final HostAdmin admin;
    private final GroupStore groups;
    private final AggregateStore aggregates;
    private final SchedulerConfig config;
    private final LivenessClock clock;

    public SchedulerGrpcService(ClaimService claims, HostStore hosts, HostAdmin admin, GroupStore groups,
                                AggregateStore aggregates, SchedulerConfig config, LivenessClock clock) {
        this.claims = claims;
        this.hosts = hosts;
        this.admin = admin;
        this.groups = groups;
        this.aggregates = aggregates;
        this.config = config;
        this.clock = clock;
    }

    /** Validates on the calling thread, then answers when this replica's placement loop committed the claim. */
    @Override
    @NonBlocking
    public void selectAndClaim(SelectRequest request, StreamObserver<SelectResponse> out) {
        io.virga.scheduler.filter.PlacementRequest placement;
        try {
            placement = Requests.placement(request, config.maxAlternates());
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        claims.submit(placement).whenComplete((outcome, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                out.onError(cause instanceof IllegalArgumentException
                        ? GrpcErrors.notFound("server group", request.getServerGroupId())
                        : Status.UNAVAILABLE.withDescription("placement failed: " + cause.getMessage())
                        .asRuntimeException());
                return;
            }
            try {
                out.onNext(response(outcome));
                out.onCompleted();
            } catch (StatusRuntimeException e) {
                out.onError(e);
            }
        });
    }

    private static SelectResponse response(ClaimOutcome outcome) {
        if (outcome instanceof ClaimOutcome.Claimed c) {
            SelectResponse.Builder b = SelectResponse.newBuilder().setClaim(Protos.claim(c.claim()));
            c.alternates().forEach(h -> b.addAlternates(Protos.candidate(h)));
            return b.build();
        }
        if (outcome instanceof ClaimOutcome.Unschedulable u) {
            return SelectResponse.newBuilder().setUnschedulable(Protos.unschedulable(u.why())).build();
        }
        throw Status.ABORTED.withDescription("hosts kept changing during " + ((ClaimOutcome.Contended) outcome)
                .attempts() + " placement attempts; nothing was claimed, retry").asRuntimeException();
    }

    @Override
    @Blocking
    public void releaseClaim(ReleaseRequest request, StreamObserver<ReleaseResponse> out) {
        answer(out, () -> {
            Optional<Claim> released = claims.release(Requests.id("consumer_id", request.getConsumerId()));
            return ReleaseResponse.newBuilder()
                    .setReleased(released.isPresent())
                    .setHostId(released.map(Claim::hostId).orElse(""))
                    .build();
        });
    }

    @Override
    @Blocking
    public void transferClaim(TransferClaimRequest request, StreamObserver<TransferClaimResponse> out) {
        answer(out, () -> {
            String from = Requests.id("from_consumer_id", request.getFromConsumerId());
            String to = Requests.id("to_consumer_id", request.getToConsumerId());
            if (from.equals(to)) {
                throw GrpcErrors.invalidArgument("to_consumer_id", "must differ from from_consumer_id");
            }
            ClaimStore.Transfer t = claims.transfer(from, to);
            TransferClaimResponse.Builder b = TransferClaimResponse.newBuilder().setTransferred(t.transferred())
                    .setReleasedHostId(t.releasedHostId().orElse(""));
            t.claim().ifPresent(c -> b.setClaim(Protos.claim(c)));
            return b.build();
        });
    }

    /** Pages in the database (keyset on name, id); the token is the last host's (name, id). */
    @Override
    @Blocking
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> out) {
        answer(out, () -> {
            int size = pageSize(request.getPageSize());
            String[] after = null;
            if (!request.getPageToken().isEmpty()) {
                String token = decode(request.getPageToken());
                int cut = token.indexOf('\n');
                if (cut < 0) {
                    throw GrpcErrors.invalidArgument("page_token", "is not a token this service issued");
                }
                after = new String[] {token.substring(0, cut), token.substring(cut + 1)};
            }
            HostStore.Page page = hosts.page(after, size);
            Instant now = clock.instant();
            ListHostsResponse.Builder b = ListHostsResponse.newBuilder();
            for (HostState h : page.hosts()) {
                b.addHosts(Protos.host(h, config.ratios(), now, config.hostTimeout()));
            }
            page.next().ifPresent(k -> b.setNextPageToken(encode(k[0] + "\n" + k[1])));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void getHost(GetHostRequest request, StreamObserver<Host> out) {
        answer(out, () -> host(Requests.id("id", request.getId())));
    }

    private Host host(String id) {
        HostState h = hosts.find(id).orElseThrow(() -> GrpcErrors.notFound("host", id));
        return Protos.host(h, config.ratios(), clock.instant(), config.hostTimeout());
    }

    @Override
    @Blocking
    public void hostAction(HostActionRequest request, StreamObserver<Host> out) {
        answer(out, () -> {
            String id = Requests.id("id", request.getId());
            if (request.getReason().length() > 255) {
                throw GrpcErrors.invalidArgument("reason", "must be at most 255 characters");
            }
            try {
                admin.act(id, request.getAction(), request.getReason());
            } catch (IllegalArgumentException e) {
                throw GrpcErrors.invalidArgument("action", e.getMessage());
            } catch (HostAdmin.UnknownHost e) {
                throw GrpcErrors.notFound("host", id);
            }
            return host(id);
        });
    }

    @Override
    @Blocking
    public void setInventory(SetInventoryRequest request, StreamObserver<Host> out) {
        answer(out, () -> {
            String id = Requests.id("host_id", request.getHostId());
            var inv = request.getInventory();
            if (!ResourceClass.NAME.matcher(inv.getResourceClass()).matches()) {
                throw GrpcErrors.invalidArgument("inventory.resource_class", "must be an upper-case class name");
            }
            if (inv.getTotal() < 0 || inv.getReserved() < 0 || inv.getMinUnit() < 0 || inv.getMaxUnit() < 0
                    || inv.getStepSize() < 0 || inv.getAllocationRatio() < 0 || Double.isNaN(inv.getAllocationRatio())
                    || Double.isInfinite(inv.getAllocationRatio())) {
                throw GrpcErrors.invalidArgument("inventory", "needs non-negative sizes and a finite allocation_ratio"
                        + " (0 keeps the current min_unit, max_unit, step_size, allocation_ratio)");
            }
            try {
                admin.setInventory(id, inv.getResourceClass(), inv.getTotal(), inv.getReserved(), inv.getMinUnit(),
                        inv.getMaxUnit(), inv.getStepSize(), inv.getAllocationRatio());
            } catch (IllegalArgumentException e) {
                throw GrpcErrors.invalidArgument("inventory", e.getMessage());
            } catch (HostAdmin.UnknownHost e) {
                throw GrpcErrors.notFound("host", id);
            } catch (HostAdmin.Refused e) {
                throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            }
            return host(id);
        });
    }

    @Override
    @Blocking
    public void createServerGroup(CreateServerGroupRequest request, StreamObserver<ServerGroup> out) {
        answer(out, () -> {
            String name = Requests.name("name", request.getName());
            String project = Requests.id("project_id", request.getProjectId());
            if (!GroupStore.POLICIES.contains(request.getPolicy())) {
                throw GrpcErrors.invalidArgument("policy",
                        "must be affinity, anti-affinity, soft-affinity or soft-anti-affinity");
            }
            String id = request.getId().isEmpty() ? Ids.newId("sg") : Requests.id("id", request.getId());
            return Protos.group(groups.create(id, name, project, request.getPolicy()));
        });
    }

    @Override
    @Blocking
    public void getServerGroup(GetServerGroupRequest request, StreamObserver<ServerGroup> out) {
        answer(out, () -> {
            String id = Requests.id("id", request.getId());
            return Protos.group(groups.find(id).orElseThrow(() -> GrpcErrors.notFound("server group", id)));
        });
    }

    @Override
    @Blocking
    public void listServerGroups(ListServerGroupsRequest request, StreamObserver<ListServerGroupsResponse> out) {
        answer(out, () -> {
            String project = request.getProjectId().isEmpty() ? "" : Requests.id("project_id", request.getProjectId());
            ListServerGroupsResponse.Builder b = ListServerGroupsResponse.newBuilder();
            groups.list(project).forEach(g -> b.addServerGroups(Protos.group(g)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void deleteServerGroup(DeleteServerGroupRequest request, StreamObserver<DeleteServerGroupResponse> out) {
        answer(out, () -> {
            try {
                return DeleteServerGroupResponse.newBuilder()
                        .setDeleted(groups.delete(Requests.id("id", request.getId()))).build();
            } catch (GroupStore.InUse e) {
                throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
            }
        });
    }

    @Override
    @Blocking
    public void createAggregate(Aggregate request, StreamObserver<Aggregate> out) {
        answer(out, () -> aggregateCall(() -> aggregates.create(
                request.getId().isEmpty() ? Ids.newId("agg") : Requests.id("id", request.getId()),
                Requests.name("name", request.getName()), zone(request), request.getMetadataMap())));
    }

    @Override
    @Blocking
    public void getAggregate(GetAggregateRequest request, StreamObserver<Aggregate> out) {
        answer(out, () -> {
            String id = Requests.id("id", request.getId());
            return Protos.aggregate(aggregates.find(id).orElseThrow(() -> GrpcErrors.notFound("aggregate", id)));
        });
    }

    @Override
    @Blocking
    public void listAggregates(ListAggregatesRequest request, StreamObserver<ListAggregatesResponse> out) {
        answer(out, () -> {
            ListAggregatesResponse.Builder b = ListAggregatesResponse.newBuilder();
            aggregates.list().forEach(a -> b.addAggregates(Protos.aggregate(a)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void updateAggregate(Aggregate request, StreamObserver<Aggregate> out) {
        answer(out, () -> aggregateCall(() -> aggregates.update(Requests.id("id", request.getId()),
                Requests.name("name", request.getName()), zone(request), request.getMetadataMap())));
    }

    @Override
    @Blocking
    public void deleteAggregate(GetAggregateRequest request, StreamObserver<DeleteAggregateResponse> out) {
        answer(out, () -> DeleteAggregateResponse.newBuilder()
                .setDeleted(aggregates.delete(Requests.id("id", request.getId()))).build());
    }

    @Override
    @Blocking
    public void addAggregateHost(AggregateHostRequest request, StreamObserver<Aggregate> out) {
        answer(out, () -> aggregateCall(() -> aggregates.addHost(Requests.id("aggregate_id", request.getAggregateId()),
                Requests.id("host_id", request.getHostId()))));
    }

    @Override
    @Blocking
    public void removeAggregateHost(AggregateHostRequest request, StreamObserver<Aggregate> out) {
        answer(out, () -> aggregateCall(() -> aggregates.removeHost(
                Requests.id("aggregate_id", request.getAggregateId()), Requests.id("host_id", request.getHostId()))));
    }

    @Override
    @Blocking
    public void listClaims(ListClaimsRequest request, StreamObserver<ListClaimsResponse> out) {
        answer(out, () -> {
            int size = pageSize(request.getPageSize());
            String after = request.getPageToken().isEmpty() ? "" : decode(request.getPageToken());
            List<Claim> page = claims.store().page(after, size + 1);
            ListClaimsResponse.Builder b = ListClaimsResponse.newBuilder();
            page.stream().limit(size).forEach(c -> b.addClaims(Protos.claim(c)));
            if (page.size() > size) {
                b.setNextPageToken(encode(page.get(size - 1).consumerId()));
            }
            return b.build();
        });
    }

    private static String zone(Aggregate request) {
        return request.getAvailabilityZone().isEmpty() ? ""
                : Requests.name("availability_zone", request.getAvailabilityZone());
    }

    private static Aggregate aggregateCall(java.util.function.Supplier<AggregateStore.Aggregate> work) {
        try {
            return Protos.aggregate(work.get());
        } catch (AggregateStore.Unknown e) {
            throw GrpcErrors.notFound("aggregate", e.getMessage());
        } catch (HostAdmin.UnknownHost e) {
            throw GrpcErrors.notFound("host", e.getMessage());
        } catch (HostAdmin.Refused e) {
            throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
        }
    }

    private static int pageSize(int requested) {
        if (requested < 0 || requested > MAX_PAGE) {
            throw GrpcErrors.invalidArgument("page_size", "must be between 0 (default) and " + MAX_PAGE);
        }
        return requested == 0 ? DEFAULT_PAGE : requested;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GrpcErrors.invalidArgument("page_token", "is not a token this service issued");
        }
    }

    private static <T> void answer(StreamObserver<T> out, java.util.function.Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}

package io.virga.scheduler.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.virga.contracts.scheduler.v1.GetHostRequest;
import io.virga.contracts.scheduler.v1.Host;
import io.virga.contracts.scheduler.v1.ListHostsRequest;
import io.virga.contracts.scheduler.v1.ListHostsResponse;
import io.virga.contracts.scheduler.v1.ReleaseRequest;
import io.virga.contracts.scheduler.v1.ReleaseResponse;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc;
import io.virga.contracts.scheduler.v1.SelectRequest;
import io.virga.contracts.scheduler.v1.SelectResponse;
import io.virga.contracts.scheduler.v1.TransferClaimRequest;
import io.virga.contracts.scheduler.v1.TransferClaimResponse;
import io.virga.scheduler.claim.ClaimStore;
import io.virga.platform.grpc.GrpcErrors;
import io.virga.scheduler.SchedulerConfig;
import io.virga.scheduler.claim.Claim;
import io.virga.scheduler.claim.ClaimOutcome;
import io.virga.scheduler.claim.ClaimService;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.host.HostStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code virga.scheduler.v1.SchedulerService}. "No host fits" is a normal
 * answer (SelectResponse.unschedulable); bad input is INVALID_ARGUMENT and
 * changes nothing; heavy contention that outlasted every retry is ABORTED
 * (nothing claimed, safe to retry).
 */
@GrpcService
public class SchedulerGrpcService extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    private final ClaimService claims;
    private final HostStore hosts;
    private final SchedulerConfig config;
    private final Clock clock;

    public SchedulerGrpcService(ClaimService claims, HostStore hosts, SchedulerConfig config, Clock clock) {
        this.claims = claims;
        this.hosts = hosts;
        this.config = config;
        this.clock = clock;
    }

    @Override
    @Blocking
    public void selectAndClaim(SelectRequest request, StreamObserver<SelectResponse> out) {
        answer(out, () -> {
            ClaimOutcome outcome = claims.selectAndClaim(Requests.placement(request, config.maxAlternates()));
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
        });
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

    @Override
    @Blocking
    public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> out) {
        answer(out, () -> {
            Instant now = clock.instant();
            ListHostsResponse.Builder b = ListHostsResponse.newBuilder();
            for (HostState h : hosts.list()) {
                b.addHosts(Protos.host(h, config.ratios(), now, config.hostTimeout()));
            }
            return b.build();
        });
    }

    @Override
    @Blocking
    public void getHost(GetHostRequest request, StreamObserver<Host> out) {
        answer(out, () -> {
            String id = Requests.id("id", request.getId());
            HostState h = hosts.find(id).orElseThrow(() -> GrpcErrors.notFound("host", id));
            return Protos.host(h, config.ratios(), clock.instant(), config.hostTimeout());
        });
    }

    private static <T> void answer(StreamObserver<T> out, java.util.function.Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}

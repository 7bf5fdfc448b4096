package io.virga.gateway.placement;

import io.grpc.Deadline;
import io.quarkus.grpc.GrpcClient;
import io.virga.contracts.scheduler.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import io.virga.gateway.api.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/** The scheduler's blocking stub with the gateway's deadline, for the placement resources. */
@ApplicationScoped
public class SchedulerStub {
    private final SchedulerServiceBlockingStub scheduler;
    private final GatewayConfig config;

    public SchedulerStub(@GrpcClient("scheduler") SchedulerServiceBlockingStub scheduler, GatewayConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    public SchedulerServiceBlockingStub get() {
        return scheduler.withDeadline(Deadline.after(config.grpcDeadline().toMillis(), TimeUnit.MILLISECONDS));
    }
}

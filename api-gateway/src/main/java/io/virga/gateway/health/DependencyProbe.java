package io.virga.gateway.health;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.virga.gateway.events.GatewayEventing;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Cheap reachability probes of the gateway's dependencies, each bounded by a short deadline.
 * A gRPC service is up when its standard health service answers SERVING, or when it answers at
 * all without a health service (UNIMPLEMENTED); it is down when unreachable, too slow or NOT_SERVING.
 */
@ApplicationScoped
public class DependencyProbe {
    static final Duration DEADLINE = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final GatewayEventing eventing;
    private final Channel network;
    private final Channel storage;
    private final Channel scheduler;
    private Admin kafkaAdmin;

    public DependencyProbe(DataSource dataSource, GatewayEventing eventing, @GrpcClient("network") Channel network,
            @GrpcClient("storage") Channel storage, @GrpcClient("scheduler") Channel scheduler) {
        this.dataSource = dataSource;
        this.eventing = eventing;
        this.network = network;
        this.storage = storage;
        this.scheduler = scheduler;
    }

    public boolean postgres() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) DEADLINE.toSeconds());
            return s.execute("SELECT 1");
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    public boolean kafka() {
        try {
            return !admin().describeCluster().nodes().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean network() {
        return grpc(network);
    }

    public boolean storage() {
        return grpc(storage);
    }

    public boolean scheduler() {
        return grpc(scheduler);
    }

    static boolean grpc(Channel channel) {
        try {
            HealthCheckResponse r = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            return r.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
        }
    }

    private synchronized Admin admin() {
        if (kafkaAdmin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, eventing.bootstrap());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) DEADLINE.toMillis());
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) DEADLINE.toMillis());
            kafkaAdmin = Admin.create(p);
        }
        return kafkaAdmin;
    }

    @PreDestroy
    synchronized void close() {
        if (kafkaAdmin != null) {
            kafkaAdmin.close(Duration.ofSeconds(2));
        }
    }
}

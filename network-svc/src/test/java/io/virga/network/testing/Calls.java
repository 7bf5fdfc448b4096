package io.virga.network.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.function.Executable;

/** Small helpers for tests that call network-svc through its real gRPC server. */
public final class Calls {
    private Calls() {
    }

    /** A fresh project id, so that tests sharing one database never see each other's rows. */
    public static String newProject() {
        return "proj-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    /** The stub with a deadline, as real clients call it. */
    public static NetworkServiceBlockingStub call(NetworkServiceBlockingStub stub) {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public static Network network(NetworkServiceBlockingStub stub, String project, String name, boolean shared) {
        return call(stub).createNetwork(CreateNetworkRequest.newBuilder().setProjectId(project).setName(name)
                .setShared(shared).build());
    }

    public static Subnet subnet(NetworkServiceBlockingStub stub, String project, String networkId, String cidr,
            String gateway) {
        return call(stub).createSubnet(CreateSubnetRequest.newBuilder().setProjectId(project).setNetworkId(networkId)
                .setName("sub").setCidr(cidr).setGatewayIp(gateway).build());
    }

    /** A network of {@code project} with one subnet (gateway = first host). */
    public static Network networkWithSubnet(NetworkServiceBlockingStub stub, String project, String cidr,
            boolean shared) {
        Network n = network(stub, project, "net-" + UUID.randomUUID().toString().substring(0, 6), shared);
        subnet(stub, project, n.getId(), cidr, "");
        return n;
    }

    public static Port port(NetworkServiceBlockingStub stub, String project, String networkId, String deviceId) {
        return call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(project).setNetworkId(networkId)
                .setDeviceId(deviceId).setRequestId(newRequestId()).build());
    }

    /** Asserts that {@code call} fails with {@code code}; answers the failure for more checks. */
    public static StatusRuntimeException fails(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status of " + e.getStatus());
        return e;
    }

    /** The first column of the first row of a counting query. */
    public static long count(DataSource ds, String sql, String... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of the service's tables, to prove that a refused call changed nothing. */
    public static String snapshot(DataSource ds) {
        return count(ds, "SELECT count(*) FROM networks") + "/" + count(ds, "SELECT count(*) FROM subnets") + "/"
                + count(ds, "SELECT count(*) FROM ports") + "/" + count(ds, "SELECT count(*) FROM port_requests");
    }
}

package io.virga.network.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateSubnetRequest;
import io.virga.contracts.network.v1.DeleteNetworkRequest;
import io.virga.contracts.network.v1.DeletePortRequest;
import io.virga.contracts.network.v1.DeletePortsByDeviceRequest;
import io.virga.contracts.network.v1.DeleteResponse;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.ListNetworksRequest;
import io.virga.contracts.network.v1.ListNetworksResponse;
import io.virga.contracts.network.v1.ListPortsRequest;
import io.virga.contracts.network.v1.ListPortsResponse;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.network.network.NetworkService;
import io.virga.network.port.PortService;
import io.virga.network.subnet.SubnetService;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code virga.network.v1.NetworkService} over gRPC: maps messages to the
 * domain services, which validate, authorise by project and raise the
 * status codes of the contract. Every method runs on a worker thread (JDBC).
 */
@GrpcService
public class NetworkGrpcService extends NetworkServiceGrpc.NetworkServiceImplBase {
    private static final Logger LOG = Logger.getLogger(NetworkGrpcService.class);

    private final NetworkService networks;
    private final SubnetService subnets;
    private final PortService ports;

    public NetworkGrpcService(NetworkService networks, SubnetService subnets, PortService ports) {
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
    }

    @Override
    @Blocking
    public void createNetwork(CreateNetworkRequest r, StreamObserver<Network> out) {
        answer(out, () -> ProtoMapper.network(networks.create(r.getProjectId(), r.getName(), r.getShared())));
    }

    @Override
    @Blocking
    public void getNetwork(GetNetworkRequest r, StreamObserver<Network> out) {
        answer(out, () -> ProtoMapper.network(networks.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listNetworks(ListNetworksRequest r, StreamObserver<ListNetworksResponse> out) {
        answer(out, () -> {
            ListNetworksResponse.Builder b = ListNetworksResponse.newBuilder();
            networks.list(r.getProjectId()).forEach(n -> b.addNetworks(ProtoMapper.network(n)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void deleteNetwork(DeleteNetworkRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(networks.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void createSubnet(CreateSubnetRequest r, StreamObserver<Subnet> out) {
        answer(out, () -> ProtoMapper.subnet(subnets.create(new SubnetService.NewSubnet(r.getProjectId(),
                r.getNetworkId(), r.getName(), r.getCidr(), r.getGatewayIp()))));
    }

    @Override
    @Blocking
    public void createPort(CreatePortRequest r, StreamObserver<Port> out) {
        answer(out, () -> ProtoMapper.port(ports.create(new PortService.NewPort(r.getProjectId(), r.getNetworkId(),
                r.getDeviceId(), r.getRequestId(), r.getFixedIp()))));
    }

    @Override
    @Blocking
    public void getPort(GetPortRequest r, StreamObserver<Port> out) {
        answer(out, () -> ProtoMapper.port(ports.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listPorts(ListPortsRequest r, StreamObserver<ListPortsResponse> out) {
        answer(out, () -> {
            ListPortsResponse.Builder b = ListPortsResponse.newBuilder();
            ports.list(r.getProjectId(), r.getDeviceId(), r.getNetworkId()).forEach(p -> b.addPorts(ProtoMapper.port(p)));
            return b.build();
        });
    }

    @Override
    @Blocking
    public void deletePort(DeletePortRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(ports.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void deletePortsByDevice(DeletePortsByDeviceRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(ports.deleteByDevice(r.getProjectId(), r.getDeviceId())));
    }

    private static DeleteResponse deleted(int count) {
        return DeleteResponse.newBuilder().setDeleted(count).build();
    }

    /**
     * Completes a unary call: the value, or the status the domain raised.
     * Anything else is a bug or an infrastructure failure: logged, INTERNAL.
     */
    private static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
        T value;
        try {
            value = work.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.error("network-svc call failed", e);
            out.onError(Status.INTERNAL.withDescription("internal error: " + e.getClass().getSimpleName())
                    .asRuntimeException());
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }
}

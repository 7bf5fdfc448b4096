package io.virga.network.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.virga.contracts.network.v1.BindPortRequest;
import io.virga.contracts.network.v1.CreateNetworkRequest;
import io.virga.contracts.network.v1.CreateSecurityGroupRequest;
import io.virga.contracts.network.v1.CreateSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.DeleteSecurityGroupRequest;
import io.virga.contracts.network.v1.DeleteSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.DeleteSubnetRequest;
import io.virga.contracts.network.v1.GetNetworkQuotasRequest;
import io.virga.contracts.network.v1.GetSecurityGroupRequest;
import io.virga.contracts.network.v1.ListSecurityGroupsRequest;
import io.virga.contracts.network.v1.ListSecurityGroupsResponse;
import io.virga.contracts.network.v1.NetworkQuotas;
import io.virga.contracts.network.v1.ResolvePortSecurityRequest;
import io.virga.contracts.network.v1.ResolvePortSecurityResponse;
import io.virga.contracts.network.v1.SecurityGroup;
import io.virga.contracts.network.v1.SecurityGroupRule;
import io.virga.contracts.network.v1.SetNetworkQuotaRequest;
import io.virga.network.quota.Quotas;
import io.virga.network.secgroup.PortSecurityResolver;
import io.virga.network.secgroup.RuleRequest;
import io.virga.network.secgroup.SecurityGroupService;
import io.virga.network.subnet.SubnetOptions;
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
import io.virga.contracts.network.v1.CreateFloatingIpRequest;
import io.virga.contracts.network.v1.CreateRouterRequest;
import io.virga.contracts.network.v1.DeleteFloatingIpRequest;
import io.virga.contracts.network.v1.DeleteRouterRequest;
import io.virga.contracts.network.v1.FloatingIp;
import io.virga.contracts.network.v1.GetFloatingIpRequest;
import io.virga.contracts.network.v1.GetRouterRequest;
import io.virga.contracts.network.v1.ListFloatingIpsRequest;
import io.virga.contracts.network.v1.ListFloatingIpsResponse;
import io.virga.contracts.network.v1.ListRoutersRequest;
import io.virga.contracts.network.v1.ListRoutersResponse;
import io.virga.contracts.network.v1.ResolveRoutersRequest;
import io.virga.contracts.network.v1.ResolveRoutersResponse;
import io.virga.contracts.network.v1.Router;
import io.virga.contracts.network.v1.RouterInterfaceRequest;
import io.virga.contracts.network.v1.UpdateFloatingIpRequest;
import io.virga.network.floatingip.FloatingIpService;
import io.virga.network.router.RouterPlans;
import io.virga.network.router.RouterService;
import java.util.function.Supplier;

/**
 * {@code virga.network.v1.NetworkService} over gRPC: maps messages to the
 * domain services, which validate, authorise by project and raise the
 * status codes of the contract. Every method runs on a worker thread (JDBC).
 */
@GrpcService
public class NetworkGrpcService extends NetworkServiceGrpc.NetworkServiceImplBase {

    private final NetworkService networks;
    private final SubnetService subnets;
    private final PortService ports;
    private final SecurityGroupService groups;
    private final PortSecurityResolver resolver;
    private final Quotas quotas;
    private final RouterService routers;
    private final FloatingIpService floatingIps;
    private final RouterPlans plans;

    public NetworkGrpcService(NetworkService networks, SubnetService subnets, PortService ports,
            SecurityGroupService groups, PortSecurityResolver resolver, Quotas quotas, RouterService routers,
            FloatingIpService floatingIps, RouterPlans plans) {
        this.routers = routers;
        this.floatingIps = floatingIps;
        this.plans = plans;
        this.groups = groups;
        this.resolver = resolver;
        this.quotas = quotas;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
    }

    @Override
    @Blocking
    public void createNetwork(CreateNetworkRequest r, StreamObserver<Network> out) {
        answer(out, () -> ProtoMapper.network(networks.create(r.getProjectId(), r.getName(), r.getShared(),
                r.getExternal())));
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
                r.getNetworkId(), r.getName(), r.getCidr(), r.getGatewayIp(),
                r.getAllocationPoolsList().stream().map(p -> new SubnetOptions.RawPool(p.getStart(), p.getEnd())).toList(),
                r.getDnsNameserversList(),
                r.getHostRoutesList().stream().map(h -> new SubnetOptions.RawRoute(h.getDestination(), h.getNexthop()))
                        .toList()))));
    }

    @Override
    @Blocking
    public void deleteSubnet(DeleteSubnetRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(subnets.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void createPort(CreatePortRequest r, StreamObserver<Port> out) {
        answer(out, () -> ProtoMapper.port(ports.create(new PortService.NewPort(r.getProjectId(), r.getNetworkId(),
                r.getDeviceId(), r.getRequestId(), r.getFixedIp(), r.getSubnetId(), r.getSecurityGroupIdsList()))));
    }

    @Override
    @Blocking
    public void bindPort(BindPortRequest r, StreamObserver<Port> out) {
        answer(out, () -> ProtoMapper.port(ports.bind(r.getProjectId(), r.getPortId(), r.getDeviceId())));
    }

    @Override
    @Blocking
    public void createSecurityGroup(CreateSecurityGroupRequest r, StreamObserver<SecurityGroup> out) {
        answer(out, () -> SecurityProtoMapper.group(groups.create(r.getProjectId(), r.getName(), r.getDescription())));
    }

    @Override
    @Blocking
    public void getSecurityGroup(GetSecurityGroupRequest r, StreamObserver<SecurityGroup> out) {
        answer(out, () -> SecurityProtoMapper.group(groups.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listSecurityGroups(ListSecurityGroupsRequest r, StreamObserver<ListSecurityGroupsResponse> out) {
        answer(out, () -> ListSecurityGroupsResponse.newBuilder().addAllSecurityGroups(groups.list(r.getProjectId())
                .stream().map(SecurityProtoMapper::group).toList()).build());
    }

    @Override
    @Blocking
    public void deleteSecurityGroup(DeleteSecurityGroupRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(groups.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void createSecurityGroupRule(CreateSecurityGroupRuleRequest r, StreamObserver<SecurityGroupRule> out) {
        answer(out, () -> SecurityProtoMapper.rule(groups.createRule(r.getProjectId(), r.getSecurityGroupId(),
                new RuleRequest(r.getDirection(), r.getProtocol(), r.getPortRangeMin(), r.getPortRangeMax(),
                        r.getRemoteIpPrefix(), r.getRemoteGroupId()))));
    }

    @Override
    @Blocking
    public void deleteSecurityGroupRule(DeleteSecurityGroupRuleRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(groups.deleteRule(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void resolvePortSecurity(ResolvePortSecurityRequest r, StreamObserver<ResolvePortSecurityResponse> out) {
        answer(out, () -> ResolvePortSecurityResponse.newBuilder().addAllPorts(resolver.resolve(r.getPortIdsList())
                .stream().map(SecurityProtoMapper::portSecurity).toList()).build());
    }

    @Override
    @Blocking
    public void getNetworkQuotas(GetNetworkQuotasRequest r, StreamObserver<NetworkQuotas> out) {
        answer(out, () -> SecurityProtoMapper.quotas(quotas.get(r.getProjectId())));
    }

    @Override
    @Blocking
    public void setNetworkQuota(SetNetworkQuotaRequest r, StreamObserver<NetworkQuotas> out) {
        answer(out, () -> SecurityProtoMapper.quotas(quotas.set(r.getProjectId(), r.getResource(), r.getLimit())));
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

    @Override
    @Blocking
    public void createRouter(CreateRouterRequest r, StreamObserver<Router> out) {
        answer(out, () -> RouterProtoMapper.router(routers.create(r.getProjectId(), r.getName(),
                r.getExternalNetworkId())));
    }

    @Override
    @Blocking
    public void getRouter(GetRouterRequest r, StreamObserver<Router> out) {
        answer(out, () -> RouterProtoMapper.router(routers.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listRouters(ListRoutersRequest r, StreamObserver<ListRoutersResponse> out) {
        answer(out, () -> ListRoutersResponse.newBuilder().addAllRouters(routers.list(r.getProjectId()).stream()
                .map(RouterProtoMapper::router).toList()).build());
    }

    @Override
    @Blocking
    public void deleteRouter(DeleteRouterRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(routers.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void addRouterInterface(RouterInterfaceRequest r, StreamObserver<Router> out) {
        answer(out, () -> RouterProtoMapper.router(routers.addInterface(r.getProjectId(), r.getRouterId(),
                r.getSubnetId())));
    }

    @Override
    @Blocking
    public void removeRouterInterface(RouterInterfaceRequest r, StreamObserver<Router> out) {
        answer(out, () -> RouterProtoMapper.router(routers.removeInterface(r.getProjectId(), r.getRouterId(),
                r.getSubnetId())));
    }

    @Override
    @Blocking
    public void createFloatingIp(CreateFloatingIpRequest r, StreamObserver<FloatingIp> out) {
        answer(out, () -> RouterProtoMapper.floatingIp(floatingIps.create(r.getProjectId(),
                r.getFloatingNetworkId(), r.getPortId())));
    }

    @Override
    @Blocking
    public void getFloatingIp(GetFloatingIpRequest r, StreamObserver<FloatingIp> out) {
        answer(out, () -> RouterProtoMapper.floatingIp(floatingIps.get(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void listFloatingIps(ListFloatingIpsRequest r, StreamObserver<ListFloatingIpsResponse> out) {
        answer(out, () -> ListFloatingIpsResponse.newBuilder().addAllFloatingIps(floatingIps.list(r.getProjectId())
                .stream().map(RouterProtoMapper::floatingIp).toList()).build());
    }

    @Override
    @Blocking
    public void updateFloatingIp(UpdateFloatingIpRequest r, StreamObserver<FloatingIp> out) {
        answer(out, () -> RouterProtoMapper.floatingIp(floatingIps.update(r.getProjectId(), r.getId(),
                r.getPortId(), r.getExpectedVersion())));
    }

    @Override
    @Blocking
    public void deleteFloatingIp(DeleteFloatingIpRequest r, StreamObserver<DeleteResponse> out) {
        answer(out, () -> deleted(floatingIps.delete(r.getProjectId(), r.getId())));
    }

    @Override
    @Blocking
    public void resolveRouters(ResolveRoutersRequest r, StreamObserver<ResolveRoutersResponse> out) {
        answer(out, () -> ResolveRoutersResponse.newBuilder().addAllRouters(plans.all().stream()
                .map(RouterProtoMapper::plan).toList()).build());
    }

    private static DeleteResponse deleted(int count) {
        return DeleteResponse.newBuilder().setDeleted(count).build();
    }

    /** Completes a unary call as every service does ({@link io.virga.platform.grpc.Unary}). */
    private static <T> void answer(StreamObserver<T> out, Supplier<T> work) {
        io.virga.platform.grpc.Unary.answer(out, "network-svc call", work);
    }
}

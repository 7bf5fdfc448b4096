package io.virga.network.grpc;

import static io.virga.network.testing.Calls.call;
import static io.virga.network.testing.Calls.fails;
import static io.virga.network.testing.Calls.networkWithSubnet;
import static io.virga.network.testing.Calls.newProject;
import static io.virga.network.testing.Calls.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.virga.contracts.network.v1.CreatePortRequest;
import io.virga.contracts.network.v1.CreateSecurityGroupRequest;
import io.virga.contracts.network.v1.CreateSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.DeleteSecurityGroupRequest;
import io.virga.contracts.network.v1.DeleteSecurityGroupRuleRequest;
import io.virga.contracts.network.v1.GetSecurityGroupRequest;
import io.virga.contracts.network.v1.ListSecurityGroupsRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.NetworkServiceGrpc.NetworkServiceBlockingStub;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.PortSecurity;
import io.virga.contracts.network.v1.ResolvePortSecurityRequest;
import io.virga.contracts.network.v1.SecurityGroup;
import io.virga.contracts.network.v1.SecurityGroupRule;
import io.virga.devstack.testing.InfraTestResource;
import io.virga.network.testing.Calls;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Security groups: the default group, rules, membership, resolution for nodes, refusals. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "virga_network"))
class SecurityGroupTest {
    @GrpcClient("self")
    NetworkServiceBlockingStub stub;

    private SecurityGroup group(String project, String name) {
        return call(stub).createSecurityGroup(CreateSecurityGroupRequest.newBuilder().setProjectId(project)
                .setName(name).build());
    }

    private CreateSecurityGroupRuleRequest.Builder rule(String project, String groupId, String direction) {
        return CreateSecurityGroupRuleRequest.newBuilder().setProjectId(project).setSecurityGroupId(groupId)
                .setDirection(direction);
    }

    private PortSecurity resolve(String portId) {
        return call(stub).resolvePortSecurity(ResolvePortSecurityRequest.newBuilder().addPortIds(portId).build())
                .getPorts(0);
    }

    @Test
    void aPortWithoutGroupsJoinsTheDefaultGroupWhichAdmitsItsMembersAndAllEgress() {
        String p = newProject();
        Network n = networkWithSubnet(stub, p, "10.90.0.0/24", false);
        Port a = port(stub, p, n.getId(), "i-a");
        Port b = port(stub, p, n.getId(), "i-b");
        List<SecurityGroup> groups = call(stub).listSecurityGroups(ListSecurityGroupsRequest.newBuilder()
                .setProjectId(p).build()).getSecurityGroupsList();
        assertEquals(1, groups.size());
        SecurityGroup def = groups.get(0);
        assertEquals("default", def.getName());
        assertEquals(List.of(def.getId()), a.getSecurityGroupIdsList());
        assertEquals(2, def.getRulesCount());
        PortSecurity sa = resolve(a.getId());
        assertEquals(2, sa.getRulesCount());
        var ingress = sa.getRulesList().stream().filter(r -> r.getDirection().equals("ingress")).findFirst().get();
        assertEquals(List.of(b.getIpAddress() + "/32"), ingress.getRemoteCidrsList(), "the other member only");
        var egress = sa.getRulesList().stream().filter(r -> r.getDirection().equals("egress")).findFirst().get();
        assertEquals(List.of(), egress.getRemoteCidrsList(), "anywhere");
        fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteSecurityGroup(DeleteSecurityGroupRequest
                .newBuilder().setProjectId(p).setId(def.getId()).build()));
    }

    @Test
    void rulesAreAddedResolvedAndRemovedAndGroupsInUseStay() {
        String p = newProject();
        Network n = networkWithSubnet(stub, p, "10.91.0.0/24", false);
        SecurityGroup ssh = group(p, "ssh-only");
        Port port = call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(p).setNetworkId(n.getId())
                .setRequestId(Calls.newRequestId()).setDeviceId("i-s").addSecurityGroupIds(ssh.getId()).build());
        assertEquals(List.of(ssh.getId()), port.getSecurityGroupIdsList());
        assertEquals(0, resolve(port.getId()).getRulesCount(), "an empty group allows nothing");
        SecurityGroupRule r = call(stub).createSecurityGroupRule(rule(p, ssh.getId(), "ingress").setProtocol("tcp")
                .setPortRangeMin(22).setPortRangeMax(22).setRemoteIpPrefix("0.0.0.0/0").build());
        var resolved = resolve(port.getId()).getRules(0);
        assertEquals("tcp", resolved.getProtocol());
        assertEquals(22, resolved.getPortRangeMin());
        assertEquals(List.of("0.0.0.0/0"), resolved.getRemoteCidrsList());
        assertEquals(1, call(stub).getSecurityGroup(GetSecurityGroupRequest.newBuilder().setProjectId(p)
                .setId(ssh.getId()).build()).getRulesCount());
        assertTrue(fails(Status.Code.FAILED_PRECONDITION, () -> call(stub).deleteSecurityGroup(
                DeleteSecurityGroupRequest.newBuilder().setProjectId(p).setId(ssh.getId()).build()))
                .getStatus().getDescription().contains("used by 1 port"));
        assertEquals(1, call(stub).deleteSecurityGroupRule(DeleteSecurityGroupRuleRequest.newBuilder()
                .setProjectId(p).setId(r.getId()).build()).getDeleted());
        assertEquals(0, resolve(port.getId()).getRulesCount());
        fails(Status.Code.NOT_FOUND, () -> call(stub).getSecurityGroup(GetSecurityGroupRequest.newBuilder()
                .setProjectId(newProject()).setId(ssh.getId()).build()));
        fails(Status.Code.ALREADY_EXISTS, () -> group(p, "ssh-only"));
        fails(Status.Code.ALREADY_EXISTS, () -> group(p, "default"));
        assertEquals("security_group_ids[0]: security group sg-nope not found", fails(Status.Code.INVALID_ARGUMENT,
                () -> call(stub).createPort(CreatePortRequest.newBuilder().setProjectId(p).setNetworkId(n.getId())
                        .setRequestId(Calls.newRequestId()).addSecurityGroupIds("sg-nope").build()))
                .getStatus().getDescription());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad direction  | sideways | tcp  | 22 | 22 |             | direction: must be ingress or egress, got 'sideways'",
        "bad protocol   | ingress  | gre  | 0  | 0  |             | protocol: must be one of any, tcp, udp, icmp, got 'gre'",
        "ports on icmp  | ingress  | icmp | 1  | 1  |             | port_range_min: port ranges need protocol tcp or udp",
        "reversed       | ingress  | tcp  | 80 | 22 |             | port_range_max: must be 80-65535, got 22",
        "port too big   | ingress  | udp  | 70000 | 70000 |       | port_range_min: must be 1-65535, got 70000",
        "bad cidr       | ingress  | tcp  | 22 | 22 | 10.0.0.1/8  | remote_ip_prefix: host bits set, did you mean 10.0.0.0/8?",
    })
    void badRulesAreRefusedNamingTheField(String name, String direction, String protocol, int min, int max,
            String cidr, String expected) {
        String p = newProject();
        SecurityGroup g = group(p, "g");
        assertEquals(expected, fails(Status.Code.INVALID_ARGUMENT, () -> call(stub).createSecurityGroupRule(
                rule(p, g.getId(), direction).setProtocol(protocol).setPortRangeMin(min).setPortRangeMax(max)
                        .setRemoteIpPrefix(cidr == null ? "" : cidr).build())).getStatus().getDescription());
        assertEquals(0, call(stub).getSecurityGroup(GetSecurityGroupRequest.newBuilder().setProjectId(p)
                .setId(g.getId()).build()).getRulesCount());
    }
}

package io.virga.gateway.instance;

import io.grpc.StatusRuntimeException;
import io.virga.contracts.network.v1.GetNetworkRequest;
import io.virga.contracts.network.v1.GetPortRequest;
import io.virga.contracts.network.v1.Network;
import io.virga.contracts.network.v1.Port;
import io.virga.contracts.network.v1.Subnet;
import io.virga.gateway.clients.ServiceClients;
import io.virga.gateway.error.FieldError;
import io.virga.gateway.instance.flow.InstanceFlowConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the {@code networks[]} entries of a create against network-svc,
 * before anything is written: each network is visible and has a subnet; a
 * {@code fixed_ip} is a usable host address of one of its subnets (not the
 * network, broadcast or gateway address) and not asked twice; a {@code port}
 * is the project's, unbound, on the {@code network} named with it (if any),
 * and not asked twice. Whether a fixed address is free is known only when
 * the port is made (network-svc refuses a taken one; the create then fails
 * with that reason). Faults become {@code networks[n].<key>} field errors; a
 * service that cannot answer is a 503.
 */
final class NicValidator {
    private final ServiceClients clients;
    private final InstanceFlowConfig config;

    NicValidator(ServiceClients clients, InstanceFlowConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** The checked entries (network ids resolved) and each network's VNI. */
    record Checked(List<String> encoded, Map<String, Integer> vnis) {
    }

    Checked check(String projectId, List<NicRequest> entries, List<FieldError> errors) {
        List<String> encoded = new ArrayList<>();
        Map<String, Network> networks = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (int n = 0; n < entries.size(); n++) {
            NicRequest e = entries.get(n);
            if (e == null) {
                encoded.add(null);
                continue;
            }
            String at = "networks[" + n + "]";
            String networkId = e.network();
            if (e.port() != null) {
                networkId = port(projectId, e, at, errors);
                if (networkId != null && !seen.add("port " + e.port())) {
                    errors.add(new FieldError(at + ".port", "port " + e.port() + " is listed twice"));
                }
            }
            if (networkId == null) {
                encoded.add(null);
                continue;
            }
            String id = networkId;
            Network net = networks.containsKey(id) ? networks.get(id) : network(projectId, id, at + ".network", errors);
            networks.put(id, net);
            if (net != null && e.fixedIp() != null) {
                fixedIp(net, e.fixedIp(), at + ".fixed_ip", errors);
                if (!seen.add("ip " + id + " " + e.fixedIp())) {
                    errors.add(new FieldError(at + ".fixed_ip", e.fixedIp() + " is asked twice on network " + id));
                }
            }
            encoded.add(e.withNetwork(id).encode());
        }
        Map<String, Integer> vnis = new HashMap<>();
        networks.forEach((id, net) -> {
            if (net != null) {
                vnis.put(id, net.getVni());
            }
        });
        return new Checked(encoded, vnis);
    }

    /** The port's network when the port can be used, else null (with the error added). */
    private String port(String projectId, NicRequest e, String at, List<FieldError> errors) {
        Port port;
        try {
            port = clients.network(config.validationTimeout()).getPort(GetPortRequest.newBuilder()
                    .setProjectId(projectId).setId(e.port()).build());
        } catch (StatusRuntimeException x) {
            InstanceValidator.refused(x, at + ".port", "port " + e.port() + " not found", errors);
            return null;
        }
        if (!port.getDeviceId().isEmpty()) {
            errors.add(new FieldError(at + ".port", "port " + e.port() + " is in use by " + port.getDeviceId()));
            return null;
        }
        if (e.network() != null && !e.network().equals(port.getNetworkId())) {
            errors.add(new FieldError(at + ".network", "port " + e.port() + " is on network " + port.getNetworkId()
                    + ", not " + e.network()));
            return null;
        }
        return port.getNetworkId();
    }

    private Network network(String projectId, String id, String field, List<FieldError> errors) {
        Network net;
        try {
            net = clients.network(config.validationTimeout()).getNetwork(GetNetworkRequest.newBuilder()
                    .setProjectId(projectId).setId(id).build());
        } catch (StatusRuntimeException e) {
            InstanceValidator.refused(e, field, "network " + id + " not found", errors);
            return null;
        }
        if (net.getSubnetsCount() == 0) {
            errors.add(new FieldError(field, "network " + id + " has no subnet to take an address from"));
            return null;
        }
        return net;
    }

    private static void fixedIp(Network net, String ip, String field, List<FieldError> errors) {
        long address = ipv4(ip);
        for (Subnet s : net.getSubnetsList()) {
            String cidr = s.getCidr();
            int slash = cidr.indexOf('/');
            if (slash < 0 || cidr.indexOf(':') >= 0) {
                continue;
            }
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            long base = ipv4(cidr.substring(0, slash));
            long size = 1L << (32 - prefix);
            if (address < base || address >= base + size) {
                continue;
            }
            if (address == base || address == base + size - 1) {
                errors.add(new FieldError(field, ip + " is the network or broadcast address of " + cidr));
            } else if (ip.equals(s.getGatewayIp())) {
                errors.add(new FieldError(field, ip + " is the gateway address of " + cidr));
            }
            return;
        }
        errors.add(new FieldError(field, ip + " is not inside a subnet of network " + net.getId() + " ("
                + String.join(", ", net.getSubnetsList().stream().map(Subnet::getCidr).toList()) + ")"));
    }

    private static long ipv4(String text) {
        long v = 0;
        for (String part : text.split("\\.")) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }
}

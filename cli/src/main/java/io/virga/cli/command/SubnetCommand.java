package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.VirgaCli;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga subnet create|list}: IPv4 subnets of networks ({@code /v1/networks/{id}/subnets}). */
@Command(name = "subnet", description = "IPv4 subnets of networks",
        subcommands = {SubnetCommand.Create.class, SubnetCommand.ListCmd.class})
public final class SubnetCommand {
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("NETWORK", "network_id"), Column.of("CIDR", "cidr"), Column.of("GATEWAY", "gateway_ip"),
            Column.of("DNS", "dns_nameservers"));

    @Command(name = "create", description = "Add a subnet to a network")
    static final class Create extends ApiCommand {
        @Option(names = "--network", required = true, description = "network id or name")
        String network;

        @Option(names = "--cidr", required = true, description = "e.g. 10.0.0.0/24")
        String cidr;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "the subnet's name (optional)")
        String name;

        @Option(names = "--gateway-ip", paramLabel = "IP")
        String gatewayIp;

        @Option(names = "--dns", paramLabel = "IP", description = "DNS server (repeatable)")
        List<String> dns;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.network(api, network);
            ObjectNode body = object().put("cidr", cidr);
            if (name != null) {
                body.put("name", name);
            }
            if (gatewayIp != null) {
                body.put("gateway_ip", gatewayIp);
            }
            if (dns != null) {
                ArrayNode a = body.putArray("dns_nameservers");
                dns.forEach(a::add);
            }
            render().show(api.post(ApiClient.path(NetworkCommand.PATH, id) + "/subnets", body).body());
            return 0;
        }
    }

    @Command(name = "list", description = "List the subnets of every visible network (or of one)")
    static final class ListCmd extends ApiCommand {
        @Option(names = "--network", description = "only this network's (id or name)")
        String network;

        @Override
        protected int run(ApiClient api) {
            ArrayNode subnets = VirgaCli.JSON.createArrayNode();
            if (network != null) {
                String id = Refs.network(api, network);
                api.get(ApiClient.path(NetworkCommand.PATH, id)).body().path("subnets").forEach(subnets::add);
            } else {
                for (JsonNode n : api.listAll(NetworkCommand.PATH, Map.of(), 0)) {
                    n.path("subnets").forEach(subnets::add);
                }
            }
            render().list(subnets, COLUMNS);
            return 0;
        }
    }
}

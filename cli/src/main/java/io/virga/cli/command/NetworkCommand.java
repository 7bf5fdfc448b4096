package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga network list|show|create|delete}: virtual networks. */
@Command(name = "network", description = "Virtual networks",
        subcommands = {NetworkCommand.ListCmd.class, NetworkCommand.Show.class, NetworkCommand.Create.class,
                NetworkCommand.Delete.class})
public final class NetworkCommand {
    static final String PATH = "/v1/networks";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("STATUS", "status"), Column.of("SHARED", "shared"), Column.of("VNI", "vni"),
            new Column("SUBNETS", NetworkCommand::cidrs));

    static String cidrs(JsonNode network) {
        List<String> out = new ArrayList<>();
        network.path("subnets").forEach(s -> out.add(s.path("cidr").asText()));
        return String.join(",", out);
    }

    @Command(name = "list", description = "List the project's networks and shared ones")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a network with its subnets")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", description = "id or name")
        String network;

        @Override
        protected int run(ApiClient api) {
            render().show(api.get(ApiClient.path(PATH, Refs.network(api, network))).body());
            return 0;
        }
    }

    @Command(name = "create", description = "Create a network")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--shared", description = "visible to every project (cloud admin)")
        boolean shared;

        @Override
        protected int run(ApiClient api) {
            render().show(api.post(PATH, object().put("name", name).put("shared", shared)).body());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a network (refused while ports exist on it)")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", description = "id or name")
        String network;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.network(api, network);
            api.delete(ApiClient.path(PATH, id));
            err().println("network " + id + " deleted");
            return 0;
        }
    }
}

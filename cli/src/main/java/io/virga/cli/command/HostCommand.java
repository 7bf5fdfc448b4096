package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code virga host list|show}: compute hosts as the scheduler sees them (cloud admin). */
@Command(name = "host", description = "Compute hosts, capacity and state (cloud admin)",
        subcommands = {HostCommand.ListCmd.class, HostCommand.Show.class})
public final class HostCommand {
    static final String PATH = "/v1/hosts";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("TYPE", "hypervisor_type"), Column.of("STATUS", "status"), Column.of("ENABLED", "enabled"),
            new Column("VCPUS", h -> usedOf(h, "vcpus")), new Column("RAM_MB", h -> usedOf(h, "ram_mb")),
            new Column("DISK_GB", h -> usedOf(h, "disk_gb")), Column.of("INSTANCES", "instances"),
            Column.of("AZ", "availability_zone"));

    /** {@code used/total} of one resource. */
    static String usedOf(JsonNode host, String resource) {
        return host.path("used").path(resource).asText("?") + "/" + host.path("total").path(resource).asText("?");
    }

    @Command(name = "list", description = "List hosts")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a host: capacity, traits, inventories")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "HOST", description = "host id (h-…) or name")
        String host;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.resolve(api, host, "h-", PATH, "host");
            render().show(api.get(ApiClient.path(PATH, id)).body());
            return 0;
        }
    }
}

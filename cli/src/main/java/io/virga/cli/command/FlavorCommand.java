package io.virga.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga flavor list|show|create}: instance sizes (create: cloud admin). */
@Command(name = "flavor", description = "Instance sizes: vcpus, RAM, disk, kind, virt mode",
        subcommands = {FlavorCommand.ListCmd.class, FlavorCommand.Show.class, FlavorCommand.Create.class})
public final class FlavorCommand {
    static final String PATH = "/v1/flavors";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("VCPUS", "vcpus"), Column.of("RAM_MB", "ram_mb"), Column.of("DISK_GB", "disk_gb"),
            Column.of("KIND", "kind"), Column.of("VIRT_MODE", "virt_mode"));

    @Command(name = "list", description = "List flavors")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a flavor")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "FLAVOR", description = "id or name")
        String flavor;

        @Override
        protected int run(ApiClient api) {
            render().show(api.get(ApiClient.path(PATH, flavor)).body());
            return 0;
        }
    }

    @Command(name = "create", description = "Create a flavor (cloud admin)")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--vcpus", required = true, description = "1-256")
        int vcpus;

        @Option(names = {"--ram-mb", "--ram"}, required = true, paramLabel = "MB", description = "64-4194304")
        long ramMb;

        @Option(names = {"--disk-gb", "--disk"}, required = true, paramLabel = "GB", description = "0-65536")
        int diskGb;

        @Option(names = "--kind", description = "vm (default), container or desktop")
        String kind;

        @Option(names = "--virt-mode", description = "full, para or hybrid (default)")
        String virtMode;

        @Override
        protected int run(ApiClient api) {
            ObjectNode body = object().put("name", name).put("vcpus", vcpus).put("ram_mb", ramMb)
                    .put("disk_gb", diskGb);
            if (kind != null) {
                body.put("kind", kind);
            }
            if (virtMode != null) {
                body.put("virt_mode", virtMode);
            }
            render().show(api.post(PATH, body).body());
            return 0;
        }
    }
}

package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import io.virga.cli.output.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga operation show|list}: async task records with their steps. */
@Command(name = "operation", description = "Async task records: steps, timings, fault",
        subcommands = {OperationCommand.Show.class, OperationCommand.ListCmd.class})
public final class OperationCommand {
    static final String PATH = "/v1/operations";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("KIND", "kind"),
            Column.of("RESOURCE", "resource_id"), Column.of("STATUS", "status"),
            Column.of("CREATED", "created_at"), Column.of("FINISHED", "finished_at"),
            Column.of("FAULT", "fault.message"));
    static final List<Column> STEP_COLUMNS = List.of(Column.of("STEP", "name"), Column.of("STATUS", "status"),
            Column.of("STARTED", "started_at"), Column.of("FINISHED", "finished_at"),
            Column.of("DETAIL", "detail"));

    @Command(name = "show", description = "Show an operation and its steps")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "OPERATION", description = "operation id (op-…)")
        String operation;

        @Override
        protected int run(ApiClient api) {
            JsonNode op = api.get(ApiClient.path(PATH, operation)).body();
            if (format != Format.TABLE) {
                render().show(op);
                return 0;
            }
            com.fasterxml.jackson.databind.node.ObjectNode head = op.deepCopy();
            head.remove("steps");
            render().show(head);
            out().println();
            List<JsonNode> steps = new ArrayList<>();
            op.path("steps").forEach(steps::add);
            render().list(io.virga.cli.VirgaCli.JSON.valueToTree(steps), STEP_COLUMNS);
            return 0;
        }
    }

    @Command(name = "list", description = "List the project's operations, oldest first")
    static final class ListCmd extends ApiCommand {
        @Option(names = "--limit", description = "at most this many (default: all)")
        int limit;

        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), limit), COLUMNS);
            return 0;
        }
    }
}

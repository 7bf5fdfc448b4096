package io.virga.cli.command;

import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code virga project create|list|show}: tenants (create: cloud admin). */
@Command(name = "project", description = "Projects (tenants)",
        subcommands = {ProjectCommand.Create.class, ProjectCommand.ListCmd.class, ProjectCommand.Show.class})
public final class ProjectCommand {
    static final String PATH = "/v1/projects";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("SYSTEM", "system"), Column.of("CREATED", "created_at"));

    @Command(name = "create", description = "Create a project (cloud admin)")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int run(ApiClient api) {
            render().show(api.post(PATH, object().put("name", name)).body());
            return 0;
        }
    }

    @Command(name = "list", description = "List projects (cloud admin: all; others: their own)")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a project")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "PROJECT", description = "project id (prj-…) or name")
        String project;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.resolve(api, project, "prj-", PATH, "project");
            render().show(api.get(ApiClient.path(PATH, id)).body());
            return 0;
        }
    }
}

package io.virga.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virga token create}: API tokens of a project (the secret is shown once). */
@Command(name = "token", description = "API tokens of a project", subcommands = TokenCommand.Create.class)
public final class TokenCommand {
    @Command(name = "create", description = "Create a token (cloud admin or project admin); its secret is "
            + "shown once")
    static final class Create extends ApiCommand {
        @Option(names = "--project", required = true, description = "project id (prj-…) or name")
        String project;

        @Option(names = "--role", required = true, description = "admin, member or reader")
        String role;

        @Option(names = "--name", description = "a label for the token, e.g. ci")
        String name;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.resolve(api, project, "prj-", ProjectCommand.PATH, "project");
            ObjectNode body = object().put("role", role);
            if (name != null) {
                body.put("name", name);
            }
            render().show(api.post(ApiClient.path(ProjectCommand.PATH, id) + "/tokens", body).body());
            return 0;
        }
    }
}

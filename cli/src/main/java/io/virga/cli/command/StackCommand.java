package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import io.virga.cli.output.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code virga stack plan|apply|destroy|show|list}: declarative specs ({@code POST /v1/stacks/{name}/plan},
 * {@code /apply}, {@code DELETE /v1/stacks/{name}}). The stack's name defaults to the spec file's name
 * without its extension ({@code web.yaml}: {@code web}).
 */
@Command(name = "stack", description = "Declarative specs: plan a diff, apply it, destroy",
        subcommands = {StackCommand.Plan.class, StackCommand.Apply.class, StackCommand.Destroy.class,
                StackCommand.Show.class, StackCommand.ListCmd.class})
public final class StackCommand {
    static final String PATH = "/v1/stacks";
    static final List<Column> COLUMNS = List.of(Column.of("NAME", "name"), Column.of("STATUS", "status"),
            Column.of("OPERATION", "last_operation_id"), Column.of("UPDATED", "updated_at"));
    static final List<Column> STEP_COLUMNS = List.of(Column.of("ACTION", "action"), Column.of("RESOURCE", "address"),
            Column.of("ID", "id"), new Column("CHANGES", StackCommand::changes), Column.of("REASON", "reason"));
    static final List<Column> OWNED_COLUMNS = List.of(Column.of("RESOURCE", "address"), Column.of("ID", "id"),
            Column.of("STATUS", "attributes.status"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code attr: before -> after} for each change of a step (replacements marked {@code !}). */
    static String changes(JsonNode step) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : step.path("changes")) {
            if ("create".equals(step.path("action").asText())) {
                continue;
            }
            out.add(c.path("attribute").asText() + (c.path("forces_replacement").asBoolean() ? "!" : "") + ": "
                    + text(c.get("before")) + " -> " + text(c.get("after")));
        }
        return String.join("; ", out);
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? "null" : v.isTextual() ? v.asText() : v.toString();
    }

    /** The spec file, variables and stack name shared by plan and apply. */
    static class SpecOptions {
        @Option(names = {"-f", "--file"}, paramLabel = "SPEC", required = true,
                description = "the spec (YAML or JSON)")
        Path file;

        @Option(names = "--var", paramLabel = "NAME=VALUE", description = "a variable's value (YAML scalar: 2 is a"
                + " number); repeatable")
        Map<String, String> vars = Map.of();

        @Option(names = "--name", paramLabel = "STACK", description = "the stack (default: the file's name)")
        String name;

        String stack() {
            if (name != null) {
                return name;
            }
            String f = file.getFileName().toString();
            return f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
        }

        ObjectNode body(ApiCommand cmd) {
            Path p = cmd.context().cwd().resolve(file);
            ApiClient.requireReadable(p);
            ObjectNode body = ApiCommand.object();
            try {
                body.put("spec", Files.readString(p, StandardCharsets.UTF_8));
                ObjectNode v = body.putObject("variables");
                for (var e : vars.entrySet()) {
                    JsonNode value = YAML.readTree(e.getValue());
                    v.set(e.getKey(), value == null || value.isMissingNode() ? v.textNode(e.getValue()) : value);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return body;
        }
    }

    /** Prints a plan (or a started run's plan) as a table of steps with a summary line on stderr. */
    static void printSteps(ApiCommand cmd, JsonNode answer) {
        if (cmd.format != Format.TABLE) {
            cmd.render().show(answer);
            return;
        }
        List<JsonNode> steps = new ArrayList<>();
        answer.path("resources").forEach(steps::add);
        cmd.render().list(io.virga.cli.VirgaCli.JSON.valueToTree(steps), STEP_COLUMNS);
        List<String> counts = new ArrayList<>();
        answer.path("summary").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                counts.add(e.getValue().asLong() + " to " + e.getKey());
            }
        });
        cmd.err().println("plan: " + (counts.isEmpty() ? "nothing" : String.join(", ", counts))
                + (answer.has("plan_id") ? " (plan " + answer.path("plan_id").asText() + ")" : ""));
    }

    @Command(name = "plan", description = "Show what apply would do: create, update, replace, delete, no-op")
    static final class Plan extends ApiCommand {
        @Mixin
        SpecOptions spec = new SpecOptions();

        @Override
        protected int run(ApiClient api) {
            printSteps(this, api.post(ApiClient.path(PATH, spec.stack()) + "/plan", spec.body(this)).body());
            return 0;
        }
    }

    @Command(name = "apply", description = "Apply the spec (one operation; --wait shows its progress)")
    static final class Apply extends ApiCommand {
        @Mixin
        SpecOptions spec = new SpecOptions();

        @Option(names = "--plan", paramLabel = "PLAN_ID", description = "apply only if the world still matches"
                + " this reviewed plan (else exit 1)")
        String planId;

        @Mixin
        InstanceCommand.WaitOptions waiting = new InstanceCommand.WaitOptions();

        @Override
        protected int run(ApiClient api) {
            ObjectNode body = spec.body(this);
            if (planId != null) {
                body.put("plan_id", planId);
            }
            ApiClient.Answer a = api.post(ApiClient.path(PATH, spec.stack()) + "/apply", body);
            return finish(this, api, a, waiting, spec.stack());
        }
    }

    @Command(name = "destroy", description = "Delete everything the stack owns, dependants first")
    static final class Destroy extends ApiCommand {
        @Parameters(paramLabel = "STACK")
        String name;

        @Mixin
        InstanceCommand.WaitOptions waiting = new InstanceCommand.WaitOptions();

        @Override
        protected int run(ApiClient api) {
            return finish(this, api, api.delete(ApiClient.path(PATH, name)), waiting, name);
        }
    }

    static int finish(ApiCommand cmd, ApiClient api, ApiClient.Answer a, InstanceCommand.WaitOptions waiting,
            String stack) {
        if (!waiting.wait) {
            printSteps(cmd, a.body());
            cmd.err().println("started operation " + a.body().path("operation_id").asText()
                    + "; see it with: virga operation show " + a.body().path("operation_id").asText());
            return 0;
        }
        if (cmd.format == Format.TABLE) {
            printSteps(cmd, a.body());
        }
        new Waiter(api, cmd.err(), cmd.context().pollInterval(), waiting.timeout).operation(a.location());
        if (cmd.format != Format.TABLE) {
            try {
                cmd.render().show(api.get(ApiClient.path(PATH, stack)).body());
            } catch (io.virga.cli.http.ApiError e) {
                cmd.render().show(a.body());
            }
        }
        return 0;
    }

    @Command(name = "show", description = "Show a stack: status, outputs and the resources it owns")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "STACK")
        String name;

        @Override
        protected int run(ApiClient api) {
            JsonNode stack = api.get(ApiClient.path(PATH, name)).body();
            if (format != Format.TABLE) {
                render().show(stack);
                return 0;
            }
            ObjectNode head = stack.deepCopy();
            head.remove("resources");
            render().show(head);
            out().println();
            render().list(stack.path("resources"), OWNED_COLUMNS);
            return 0;
        }
    }

    @Command(name = "list", description = "List the project's stacks")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }
}

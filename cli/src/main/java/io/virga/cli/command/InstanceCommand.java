package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code virga instance create|list|show|delete|stop|start|reboot}. Instance refs may be ids
 * ({@code i-…}) or names; {@code --wait} polls until the work is done (create: no longer BUILDING;
 * delete: DELETED; actions: their operation ended).
 */
@Command(name = "instance", description = "Virtual machines and containers",
        subcommands = {InstanceCommand.Create.class, InstanceCommand.ListCmd.class, InstanceCommand.Show.class,
                InstanceCommand.Delete.class, InstanceCommand.Stop.class, InstanceCommand.Start.class,
                InstanceCommand.Reboot.class})
public final class InstanceCommand {
    static final String PATH = "/v1/instances";

    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("STATUS", "status"), Column.of("TASK", "task"), Column.of("FLAVOR", "flavor.name"),
            Column.of("HOST", "host_name"), new Column("ADDRESSES", InstanceCommand::addresses));

    static String addresses(JsonNode instance) {
        List<String> ips = new ArrayList<>();
        instance.path("addresses").forEach(a -> {
            if (a.hasNonNull("ip")) {
                ips.add(a.get("ip").asText());
            }
        });
        return String.join(",", ips);
    }

    /** Options shared by the commands that can wait. */
    static class WaitOptions {
        @Option(names = "--wait", description = "wait until the work is done, showing progress")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
                converter = DurationConverter.class, description = "how long --wait waits (default 10m)")
        Duration timeout;
    }

    @Command(name = "create", description = "Create an instance (202: BUILDING until ACTIVE or ERROR)")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "1-64 characters of A-Z a-z 0-9 . _ -")
        String name;

        @Option(names = "--flavor", required = true, paramLabel = "FLAVOR", description = "flavor id or name")
        String flavor;

        @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "image id or name")
        String image;

        @Option(names = "--network", required = true, paramLabel = "NETWORK",
                description = "network id or name (repeat for several NICs)")
        List<String> networks;

        @Option(names = "--user-data", paramLabel = "FILE", description = "cloud-init user data file")
        Path userData;

        @picocli.CommandLine.Mixin
        WaitOptions waiting = new WaitOptions();

        @Override
        protected int run(ApiClient api) {
            ObjectNode body = object().put("name", name).put("flavor", flavor).put("image", Refs.image(api, image));
            ArrayNode nics = body.putArray("networks");
            for (String n : networks) {
                nics.addObject().put("network", Refs.network(api, n));
            }
            if (userData != null) {
                body.put("user_data", Base64.getEncoder().encodeToString(read(userData)));
            }
            JsonNode created = api.post(PATH, body).body();
            if (waiting.wait) {
                err().printf("instance %s (%s) accepted%n", id(created), name);
                created = awaitBuilt(this, api, id(created), waiting.timeout);
            }
            render().show(created);
            return 0;
        }
    }

    /** Waits until instance {@code id} is no longer BUILDING; ERROR fails the wait with its fault. */
    static JsonNode awaitBuilt(ApiCommand cmd, ApiClient api, String id, Duration timeout) {
        JsonNode done = new Waiter(api, cmd.err(), cmd.context().pollInterval(), timeout).until("instance " + id,
                ApiClient.path(PATH, id), i -> i != null && !"BUILDING".equals(i.path("status").asText()),
                Waiter::statusAndTask);
        if (done == null) {
            throw new WaitFailed("instance " + id + " disappeared while building");
        }
        if ("ERROR".equals(done.path("status").asText())) {
            JsonNode fault = done.path("fault");
            throw new WaitFailed("instance " + id + " is ERROR: " + fault.path("message").asText("no fault given")
                    + Waiter.faultCode(fault));
        }
        return done;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "list", description = "List the project's instances")
    static final class ListCmd extends ApiCommand {
        @Option(names = "--status", description = "only instances in this status (e.g. ACTIVE)")
        String status;

        @Option(names = "--project", paramLabel = "PROJECT", description = "another project (cloud admin)")
        String project;

        @Option(names = "--limit", description = "at most this many (default: all)")
        int limit;

        @Override
        protected int run(ApiClient api) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("status", status);
            q.put("project_id", project);
            render().list(api.listAll(PATH, q, limit), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show an instance: status, task, host, addresses, volumes, fault")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE", description = "id or name")
        String instance;

        @Override
        protected int run(ApiClient api) {
            render().show(api.get(ApiClient.path(PATH, Refs.instance(api, instance))).body());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an instance (202; DELETING until DELETED)")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE", description = "id or name")
        String instance;

        @picocli.CommandLine.Mixin
        WaitOptions waiting = new WaitOptions();

        @Override
        protected int run(ApiClient api) {
            String id = Refs.instance(api, instance);
            JsonNode answer = api.delete(ApiClient.path(PATH, id)).body();
            if (waiting.wait) {
                JsonNode gone = new Waiter(api, err(), context().pollInterval(), waiting.timeout).until(
                        "instance " + id, ApiClient.path(PATH, id),
                        i -> i == null || "DELETED".equals(i.path("status").asText())
                                || "ERROR".equals(i.path("status").asText()),
                        Waiter::statusAndTask);
                if (gone != null && "ERROR".equals(gone.path("status").asText())) {
                    throw new WaitFailed("instance " + id + " is ERROR: "
                            + gone.path("fault").path("message").asText("no fault given"));
                }
                answer = gone == null ? answer : gone;
            }
            render().show(answer);
            return 0;
        }
    }

    /** An action ({@code POST /v1/instances/{id}/actions}); with --wait, until its operation ended. */
    abstract static class Action extends ApiCommand {
        @Parameters(paramLabel = "INSTANCE", description = "id or name")
        String instance;

        @picocli.CommandLine.Mixin
        WaitOptions waiting = new WaitOptions();

        abstract ObjectNode body();

        @Override
        protected int run(ApiClient api) {
            String id = Refs.instance(api, instance);
            ApiClient.Answer a = api.post(ApiClient.path(PATH, id) + "/actions", body());
            JsonNode shown = a.body();
            if (waiting.wait && a.location() != null) {
                new Waiter(api, err(), context().pollInterval(), waiting.timeout).operation(a.location());
                shown = api.get(ApiClient.path(PATH, id)).body();
            }
            render().show(shown);
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop an instance (ACTIVE -> STOPPED)")
    static final class Stop extends Action {
        @Option(names = "--grace", paramLabel = "SECONDS", description = "seconds for a clean shutdown "
                + "(0: forced at once; default 60)")
        Integer grace;

        @Override
        ObjectNode body() {
            ObjectNode b = object().put("action", "stop");
            if (grace != null) {
                b.put("grace_seconds", grace);
            }
            return b;
        }
    }

    @Command(name = "start", description = "Start a stopped instance (STOPPED -> ACTIVE)")
    static final class Start extends Action {
        @Override
        ObjectNode body() {
            return object().put("action", "start");
        }
    }

    @Command(name = "reboot", description = "Reboot an instance (soft by default)")
    static final class Reboot extends Action {
        @Option(names = "--hard", description = "a hard reset instead of a clean reboot")
        boolean hard;

        @Override
        ObjectNode body() {
            ObjectNode b = object().put("action", "reboot");
            if (hard) {
                b.put("type", "hard");
            }
            return b;
        }
    }
}

package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga volume list|show|create|delete|attach|detach}: block storage. */
@Command(name = "volume", description = "Block storage volumes",
        subcommands = {VolumeCommand.ListCmd.class, VolumeCommand.Show.class, VolumeCommand.Create.class,
                VolumeCommand.Delete.class, VolumeCommand.Attach.class, VolumeCommand.Detach.class})
public final class VolumeCommand {
    static final String PATH = "/v1/volumes";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("SIZE_GB", "size_gb"), Column.of("STATUS", "status"), Column.of("OWNER", "owner_id"),
            Column.of("ATTACHED_TO", "attachments"), Column.of("BOOTABLE", "bootable"));

    @Command(name = "list", description = "List the project's volumes")
    static final class ListCmd extends ApiCommand {
        @Option(names = "--owner", paramLabel = "INSTANCE", description = "only volumes owned by this instance id")
        String owner;

        @Override
        protected int run(ApiClient api) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("owner_id", owner);
            render().list(api.listAll(PATH, q, 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a volume")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", description = "id or name")
        String volume;

        @Override
        protected int run(ApiClient api) {
            render().show(api.get(ApiClient.path(PATH, Refs.volume(api, volume))).body());
            return 0;
        }
    }

    @Command(name = "create", description = "Create a volume: blank, from an image, a snapshot or a volume "
            + "(202: CREATING until AVAILABLE)")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--size-gb", required = true, paramLabel = "GB")
        int sizeGb;

        @Option(names = "--type", paramLabel = "TYPE", description = "volume type")
        String type;

        @Option(names = "--image", description = "image id or name to copy (copy-on-write)")
        String image;

        @Option(names = "--snapshot", paramLabel = "SNAPSHOT", description = "snapshot id to restore")
        String snapshot;

        @Option(names = "--source-volume", paramLabel = "VOLUME", description = "volume id to clone")
        String source;

        @Option(names = "--multiattach", description = "may be attached to several instances")
        boolean multiattach;

        @Mixin
        InstanceCommand.WaitOptions waiting = new InstanceCommand.WaitOptions();

        @Override
        protected int run(ApiClient api) {
            ObjectNode body = object().put("name", name).put("size_gb", sizeGb);
            if (type != null) {
                body.put("volume_type", type);
            }
            if (image != null) {
                body.put("image_id", Refs.image(api, image));
            }
            if (snapshot != null) {
                body.put("snapshot_id", snapshot);
            }
            if (source != null) {
                body.put("source_volume_id", source);
            }
            if (multiattach) {
                body.put("multiattach", true);
            }
            JsonNode volume = api.post(PATH, body).body();
            if (waiting.wait) {
                String id = id(volume);
                volume = new Waiter(api, err(), context().pollInterval(), waiting.timeout).until("volume " + id,
                        ApiClient.path(PATH, id), v -> v == null || !"CREATING".equals(v.path("status").asText()),
                        Waiter::statusAndTask);
                if (volume == null) {
                    throw new WaitFailed("volume " + id + " disappeared while being created");
                }
                if ("ERROR".equals(volume.path("status").asText())) {
                    throw new WaitFailed("volume " + id + " is ERROR: " + volume.path("error").asText("no reason"));
                }
            }
            render().show(volume);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a volume (409 while attached, busy or with snapshots)")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", description = "id or name")
        String volume;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.volume(api, volume);
            api.delete(ApiClient.path(PATH, id));
            err().println("volume " + id + " deleted");
            return 0;
        }
    }

    @Command(name = "attach", description = "Hot-attach a volume to an instance (202; --wait for the operation)")
    static final class Attach extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", description = "id or name")
        String volume;

        @Option(names = "--instance", required = true, description = "instance id or name")
        String instance;

        @Mixin
        InstanceCommand.WaitOptions waiting = new InstanceCommand.WaitOptions();

        @Override
        protected int run(ApiClient api) {
            String vol = Refs.volume(api, volume);
            String inst = Refs.instance(api, instance);
            ApiClient.Answer a = api.post(ApiClient.path(InstanceCommand.PATH, inst) + "/volume-attachments",
                    object().put("volume_id", vol));
            JsonNode shown = a.body();
            if (waiting.wait && a.location() != null) {
                new Waiter(api, err(), context().pollInterval(), waiting.timeout).operation(a.location());
                shown = api.get(ApiClient.path(PATH, vol)).body();
            }
            render().show(shown);
            return 0;
        }
    }

    @Command(name = "detach", description = "Hot-detach a volume from an instance (202; --wait for the operation)")
    static final class Detach extends ApiCommand {
        @Parameters(paramLabel = "VOLUME", description = "id or name")
        String volume;

        @Option(names = "--instance", required = true, description = "instance id or name")
        String instance;

        @Mixin
        InstanceCommand.WaitOptions waiting = new InstanceCommand.WaitOptions();

        @Override
        protected int run(ApiClient api) {
            String vol = Refs.volume(api, volume);
            String inst = Refs.instance(api, instance);
            ApiClient.Answer a = api.delete(ApiClient.path(ApiClient.path(InstanceCommand.PATH, inst)
                    + "/volume-attachments", vol));
            JsonNode shown = a.body();
            if (waiting.wait && a.location() != null) {
                new Waiter(api, err(), context().pollInterval(), waiting.timeout).operation(a.location());
                shown = api.get(ApiClient.path(PATH, vol)).body();
            }
            render().show(shown);
            return 0;
        }
    }
}

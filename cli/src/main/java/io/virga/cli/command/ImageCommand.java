package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code virga image list|show|create|upload|delete}: guest images. */
@Command(name = "image", description = "Guest images (disk images or OCI root filesystems)",
        subcommands = {ImageCommand.ListCmd.class, ImageCommand.Show.class, ImageCommand.Create.class,
                ImageCommand.Upload.class, ImageCommand.Delete.class})
public final class ImageCommand {
    static final String PATH = "/v1/images";
    static final List<Column> COLUMNS = List.of(Column.of("ID", "id"), Column.of("NAME", "name"),
            Column.of("STATUS", "status"), Column.of("FORMAT", "disk_format"), Column.of("SIZE", "size_bytes"),
            Column.of("MIN_DISK_GB", "min_disk_gb"), Column.of("VISIBILITY", "visibility"));

    @Command(name = "list", description = "List the project's and public images")
    static final class ListCmd extends ApiCommand {
        @Override
        protected int run(ApiClient api) {
            render().list(api.listAll(PATH, Map.of(), 0), COLUMNS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show an image")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "IMAGE", description = "id or name")
        String image;

        @Override
        protected int run(ApiClient api) {
            render().show(api.get(ApiClient.path(PATH, Refs.image(api, image))).body());
            return 0;
        }
    }

    @Command(name = "create", description = "Register an image (QUEUED until its data is uploaded; "
            + "--file uploads it at once)")
    static final class Create extends ApiCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--disk-format", required = true, description = "qcow2, raw or oci")
        String diskFormat;

        @Option(names = "--min-disk-gb", paramLabel = "GB")
        Integer minDiskGb;

        @Option(names = "--visibility", description = "private (default) or public (cloud admin)")
        String visibility;

        @Option(names = "--property", paramLabel = "KEY=VALUE", description = "image property (repeatable), "
                + "e.g. virt_mode=para")
        Map<String, String> properties;

        @Option(names = "--file", paramLabel = "FILE", description = "upload this file's data right away")
        Path file;

        @Override
        protected int run(ApiClient api) {
            if (file != null) {
                ApiClient.requireReadable(file);
            }
            ObjectNode body = object().put("name", name).put("disk_format", diskFormat);
            if (minDiskGb != null) {
                body.put("min_disk_gb", minDiskGb);
            }
            if (visibility != null) {
                body.put("visibility", visibility);
            }
            if (properties != null) {
                ObjectNode p = body.putObject("properties");
                properties.forEach(p::put);
            }
            JsonNode image = api.post(PATH, body).body();
            if (file != null) {
                image = api.putFile(ApiClient.path(PATH, id(image)) + "/data", file).body();
            }
            render().show(image);
            return 0;
        }
    }

    @Command(name = "upload", description = "Upload an image's data (streamed)")
    static final class Upload extends ApiCommand {
        @Parameters(index = "0", paramLabel = "IMAGE", description = "id or name")
        String image;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Override
        protected int run(ApiClient api) {
            ApiClient.requireReadable(file);
            String id = Refs.image(api, image);
            render().show(api.putFile(ApiClient.path(PATH, id) + "/data", file).body());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an image (refused while volumes are made from it)")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "IMAGE", description = "id or name")
        String image;

        @Override
        protected int run(ApiClient api) {
            String id = Refs.image(api, image);
            api.delete(ApiClient.path(PATH, id));
            err().println("image " + id + " deleted");
            return 0;
        }
    }
}

package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.VirgaCli;
import io.virga.cli.http.ApiClient;
import io.virga.cli.http.Credentials;
import io.virga.cli.output.Format;
import io.virga.cli.output.Renderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A leaf command that calls the API: {@code --url}, {@code --token} and {@code -o} on every one of them.
 * Subclasses implement {@link #run(ApiClient)} and print through {@link #render()}.
 */
public abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "API base URL (default: $VIRGA_URL, "
            + "else .virga/state.json, else " + Credentials.DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "bearer token (default: $VIRGA_TOKEN, "
            + "else .virga/admin-token)")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            converter = FormatConverter.class, description = "table (default), json or yaml")
    Format format;

    @Override
    public final Integer call() {
        return run(new ApiClient(Credentials.resolve(url, token, context().env(), context().cwd()),
                VirgaCli.JSON));
    }

    /** Does the work; answers the exit code (0 on success; failures throw). */
    protected abstract int run(ApiClient api);

    protected VirgaCli.Context context() {
        return ((VirgaCli) spec.root().userObject()).context();
    }

    protected Renderer render() {
        return new Renderer(format, out());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress and notes: stderr, so that stdout stays the command's answer (parsable with -o json). */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected static ObjectNode object() {
        return VirgaCli.JSON.createObjectNode();
    }

    /** The {@code id} of a JSON resource. */
    protected static String id(JsonNode resource) {
        return resource.path("id").asText();
    }
}

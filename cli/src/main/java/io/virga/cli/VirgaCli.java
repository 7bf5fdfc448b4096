package io.virga.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.cli.command.AdminCommand;
import io.virga.cli.command.StackCommand;
import io.virga.cli.command.FlavorCommand;
import io.virga.cli.command.HostCommand;
import io.virga.cli.command.ImageCommand;
import io.virga.cli.command.InstanceCommand;
import io.virga.cli.command.NetworkCommand;
import io.virga.cli.command.OperationCommand;
import io.virga.cli.command.ProjectCommand;
import io.virga.cli.command.SubnetCommand;
import io.virga.cli.command.TokenCommand;
import io.virga.cli.command.VolumeCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code virga} command: one subcommand per resource of the public API. Exit codes: 0 done,
 * 1 the API refused or failed (or could not be reached, or a waited-for resource ended in ERROR),
 * 2 a usage error (unknown command or option, missing argument, unreadable file).
 */
@Command(name = "virga", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        usageHelpWidth = 100, version = "virga CLI 0.1.0",
        description = "Command line of a Virga cloud. Talks to the public REST API (/v1).",
        subcommands = {InstanceCommand.class, FlavorCommand.class, ImageCommand.class, NetworkCommand.class,
                SubnetCommand.class, VolumeCommand.class, HostCommand.class, ProjectCommand.class,
                TokenCommand.class, OperationCommand.class, AdminCommand.class, StackCommand.class})
public final class VirgaCli {
    private final Context context;

    /**
     * What a run depends on besides its arguments, so tests can give their own.
     *
     * @param env          environment variables ({@code VIRGA_URL}, {@code VIRGA_TOKEN}, {@code VIRGA_HOME})
     * @param cwd          where {@code .virga/} is looked for
     * @param pollInterval time between two polls of {@code --wait}
     */
    public record Context(Map<String, String> env, Path cwd, Duration pollInterval) {
        public static Context system() {
            return new Context(System.getenv(), Path.of("").toAbsolutePath(), Duration.ofMillis(500));
        }
    }

    public VirgaCli(Context context) {
        this.context = context;
    }

    public Context context() {
        return context;
    }

    /** The shared JSON mapper (the API's wire format is snake_case already: trees are used as they come). */
    public static final ObjectMapper JSON = new ObjectMapper();

    /** A configured command line writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(Context context, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new VirgaCli(context));
        cl.addSubcommand("completion", new AutoComplete.GenerateCompletion());
        cl.getSubcommands().get("completion").getCommandSpec().usageMessage()
                .description("Prints a bash/zsh completion script: source <(virga completion)");
        // set after construction: the root's footer only, not inherited by every subcommand's help
        cl.getCommandSpec().usageMessage().footer("",
                "Credentials: --url/--token, else $VIRGA_URL/$VIRGA_TOKEN, else .virga/ of ./virga up.",
                "Exit codes: 0 ok, 1 API error (or unreachable), 2 usage error.",
                "Through ./virga also: up, down, status, logs, restart (./virga help). Docs: docs/cli.md");
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(Errors::usage);
        return cl;
    }

    /** Runs one command line; answers the exit code. */
    public static int run(Context context, PrintWriter out, PrintWriter err, String... args) {
        int code = commandLine(context, out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(Context.system(), out, err, args));
    }
}

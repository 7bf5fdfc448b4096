package io.virga.cli;

import io.virga.cli.command.WaitFailed;
import io.virga.cli.http.ApiError;
import io.virga.cli.http.Unreachable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns what went wrong into one line on stderr and an exit code: API errors, an unreachable API and a
 * failed wait exit 1; usage errors (bad options, unreadable files) exit 2. No stack traces for
 * expected failures; an unexpected one prints its trace (a bug of the CLI).
 */
final class Errors implements IExecutionExceptionHandler {
    static final int API = 1;
    static final int USAGE = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        var err = cmd.getErr();
        if (e instanceof ApiError a) {
            err.println("virga: " + a.oneLine());
            return API;
        }
        if (e instanceof Unreachable u) {
            err.println("virga: " + u.getMessage());
            return API;
        }
        if (e instanceof WaitFailed w) {
            err.println("virga: " + w.getMessage());
            return API;
        }
        if (e instanceof IllegalArgumentException i) {
            err.println("virga: " + i.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        }
        err.println("virga: unexpected failure (a bug of the CLI): " + e);
        e.printStackTrace(err);
        return API;
    }

    /** A usage error: the message, the closest suggestions, where help is; exit 2. */
    static int usage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        var err = cmd.getErr();
        if (e.getMessage().startsWith("Missing required subcommand")) {
            err.println("virga: " + cmd.getCommandSpec().qualifiedName() + " needs a subcommand: "
                    + String.join(", ", cmd.getSubcommands().keySet()));
        } else {
            err.println("virga: " + e.getMessage());
        }
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }
}

package io.virga.compute.network;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ip}, {@code bridge} and {@code nft} in the data plane's network
 * namespace (the host's own when none is configured), with a time budget.
 */
final class Commands {
    private static final long BUDGET_SECONDS = 20;

    private final String namespace;

    Commands(String namespace) {
        this.namespace = namespace;
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the command; a non-zero exit is a {@link DataPlaneException} naming {@code what}. */
    String check(String what, String... argv) {
        return checkWithInput(what, null, argv);
    }

    /** As {@link #check(String, String...)}, with {@code stdin} fed to the command. */
    String checkWithInput(String what, String stdin, String... argv) {
        Result r = run(stdin, argv);
        if (!r.ok()) {
            throw new DataPlaneException(what + " failed (" + String.join(" ", argv) + "): " + r.output().trim());
        }
        return r.output();
    }

    Result run(String stdin, String... argv) {
        List<String> full = new ArrayList<>();
        if (namespace != null) {
            full.addAll(List.of("ip", "netns", "exec", namespace));
        }
        full.addAll(List.of(argv));
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream o = p.getInputStream()) {
                o.transferTo(out);
            }
            if (!p.waitFor(BUDGET_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + BUDGET_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}

package io.virga.hypervisor.runc;

import io.virga.hypervisor.HypervisorException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (runc, ip, tar) to completion with a time budget. */
final class Proc {
    /** What a finished command left: its exit code and its combined output. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Proc() {
    }

    /** Runs {@code argv}, returning its exit code and output; never throws for a non-zero exit. */
    static Result run(Duration budget, List<String> argv) {
        return run(budget, argv, null);
    }

    /** As {@link #run(Duration, List)}, with standard output copied to {@code stdout} (stderr kept as output). */
    static Result run(Duration budget, List<String> argv, OutputStream stdout) {
        return run(budget, argv, stdout, null);
    }

    /**
     * Runs {@code argv} with {@code input} as its standard input (e.g. {@code ip -batch -}) and throws, naming
     * {@code what} and the output, unless it exits 0.
     */
    static String checkWithInput(Duration budget, String what, List<String> argv, String input) {
        Result r = run(budget, argv, null, input);
        if (!r.ok()) {
            throw new HypervisorException(what + " failed (" + String.join(" ", argv) + " exited " + r.exitCode()
                    + "): " + r.output());
        }
        return r.output();
    }

    private static Result run(Duration budget, List<String> argv, OutputStream stdout, String input) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        if (stdout == null) {
            pb.redirectErrorStream(true);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new HypervisorException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread errPump = null;
        try {
            if (input != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (stdout != null) {
                errPump = pump(p.getErrorStream(), captured);
                p.getInputStream().transferTo(stdout);
            } else {
                p.getInputStream().transferTo(captured);
            }
            if (!p.waitFor(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HypervisorException(String.join(" ", argv) + " did not finish within " + budget);
            }
            if (errPump != null) {
                errPump.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (IOException e) {
            p.destroyForcibly();
            throw new HypervisorException(argv.get(0) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while running " + argv.get(0));
        }
        return new Result(p.exitValue(), captured.toString(StandardCharsets.UTF_8).strip());
    }

    /** Runs {@code argv} and throws, naming {@code what} and the command's output, unless it exits 0. */
    static String check(Duration budget, String what, List<String> argv) {
        Result r = run(budget, argv);
        if (!r.ok()) {
            throw new HypervisorException(what + " failed (" + String.join(" ", argv) + " exited " + r.exitCode()
                    + "): " + r.output());
        }
        return r.output();
    }

    private static Thread pump(InputStream in, OutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        }, "proc-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}

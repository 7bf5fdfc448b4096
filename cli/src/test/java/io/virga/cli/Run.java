package io.virga.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** One CLI run in this JVM: exit code, stdout and stderr. */
record Run(int code, String out, String err) {
    /** Runs {@code args} with the given environment, working directory {@code cwd}, polling every 10 ms. */
    static Run of(Map<String, String> env, Path cwd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VirgaCli.run(new VirgaCli.Context(env, cwd, Duration.ofMillis(10)), new PrintWriter(out),
                new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs against {@code api} with token {@code t-test}, from a directory with no .virga/. */
    static Run against(FakeApi api, String... args) {
        return of(Map.of("VIRGA_URL", api.url(), "VIRGA_TOKEN", "t-test"), Path.of("/"), args);
    }
}

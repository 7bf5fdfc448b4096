package io.virga.tf;

import io.virga.tf.plugin.PluginServer;
import io.virga.tf.provider.VirgaProvider;
import java.io.PrintStream;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * {@code terraform-provider-virga}: started by Terraform, prints the handshake line as the first and only
 * thing on stdout, logs to stderr (Terraform shows it with TF_LOG), serves until Terraform's Shutdown.
 * Started by hand it says what it is and exits 1.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err); // nothing else may ever reach stdout
        configureLogging();
        Map<String, String> env = System.getenv();
        String refusal = PluginServer.refusal(env);
        if (refusal != null) {
            System.err.println(refusal);
            System.exit(1);
        }
        PluginServer server = PluginServer.start(env, new VirgaProvider(env));
        stdout.println(server.handshakeLine());
        stdout.flush();
        server.awaitShutdown();
        System.exit(0);
    }

    private static void configureLogging() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "[%4$s] %3$s: %5$s%6$s%n");
        ConsoleHandler h = new ConsoleHandler(); // stderr
        h.setFormatter(new SimpleFormatter());
        root.addHandler(h);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.grpc").setLevel(Level.WARNING);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
    }
}

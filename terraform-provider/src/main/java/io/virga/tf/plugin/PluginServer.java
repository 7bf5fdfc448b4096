package io.virga.tf.plugin;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The go-plugin side of Terraform's plugin handshake: checks the environment Terraform sets, serves the
 * provider over gRPC with mutual TLS on 127.0.0.1 (our fresh self-signed certificate; the client
 * certificate Terraform passes in {@code PLUGIN_CLIENT_CERT} is the only one trusted) and gives the
 * handshake line {@code 1|6|tcp|127.0.0.1:<port>|grpc|<our certificate, base64 DER without padding>}.
 *
 * <pre>
 * state      event                               next
 * NEW        {@link #start} (env checked, bound)  SERVING (handshake line printed by the caller)
 * SERVING    GRPCController.Shutdown             STOPPED ({@link #awaitShutdown} returns)
 * </pre>
 */
public final class PluginServer {
    /** go-plugin's magic cookie for Terraform providers; without it the binary was not started by Terraform. */
    public static final String COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
    public static final String COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
    private static final Logger LOG = Logger.getLogger(PluginServer.class.getName());

    private final Server server;
    private final SelfSignedCertificate cert;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private PluginServer(Server server, SelfSignedCertificate cert) {
        this.server = server;
        this.cert = cert;
    }

    /** Why this environment is not Terraform's plugin handshake; null when it is. */
    public static String refusal(Map<String, String> env) {
        if (!COOKIE_VALUE.equals(env.get(COOKIE_KEY))) {
            return "This binary is a plugin. These are not meant to be executed directly: Terraform runs it"
                    + " (see docs/terraform.md for the CLI configuration with dev_overrides).";
        }
        String versions = env.getOrDefault("PLUGIN_PROTOCOL_VERSIONS", "");
        if (!java.util.Arrays.asList(versions.split(",")).contains("6")) {
            return "Terraform offers plugin protocol versions [" + versions + "]; this provider speaks only 6"
                    + " (Terraform 1.0 or later)";
        }
        if (env.getOrDefault("PLUGIN_CLIENT_CERT", "").isBlank()) {
            return "PLUGIN_CLIENT_CERT is not set: this provider only serves Terraform over mutual TLS";
        }
        return null;
    }

    /** Serves {@code provider} on a port in [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT] (any port when unset). */
    public static PluginServer start(Map<String, String> env, BindableService provider) throws IOException {
        SelfSignedCertificate cert = SelfSignedCertificate.forLocalhost();
        SslContext tls;
        try {
            tls = GrpcSslContexts.configure(io.netty.handler.ssl.SslContextBuilder
                    .forServer(cert.keys().getPrivate(), cert.certificate())
                    .trustManager(new ByteArrayInputStream(env.get("PLUGIN_CLIENT_CERT")
                            .getBytes(StandardCharsets.US_ASCII)))
                    .clientAuth(ClientAuth.REQUIRE)).build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS with Terraform's client certificate: " + e.getMessage(), e);
        }
        int min = Integer.parseInt(env.getOrDefault("PLUGIN_MIN_PORT", "0"));
        int max = Integer.parseInt(env.getOrDefault("PLUGIN_MAX_PORT", "0"));
        PluginServer[] self = new PluginServer[1];
        IOException last = null;
        for (int port = min; port <= Math.max(min, max); port++) {
            Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port)).sslContext(tls)
                    .addService(provider).addService(new PluginServices.Health())
                    .addService(new PluginServices.Controller(() -> self[0].shutdownSoon())).build();
            try {
                s.start();
                self[0] = new PluginServer(s, cert);
                return self[0];
            } catch (IOException bindFailed) {
                last = bindFailed;
            }
        }
        throw new IOException("no free port in " + min + "-" + max, last);
    }

    /** The handshake line Terraform reads from stdout. */
    public String handshakeLine() {
        try {
            String der = Base64.getEncoder().withoutPadding().encodeToString(cert.certificate().getEncoded());
            return "1|6|tcp|127.0.0.1:" + server.getPort() + "|grpc|" + der;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void shutdownSoon() {
        Thread t = new Thread(() -> {
            LOG.fine("shutdown asked by terraform");
            server.shutdown();
            stopped.countDown();
        }, "plugin-shutdown");
        t.setDaemon(true);
        t.start();
    }

    /** Blocks until Terraform asks the plugin to shut down. */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
        server.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
    }
}

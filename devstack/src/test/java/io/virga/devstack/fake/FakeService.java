package io.virga.devstack.fake;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * Stands in for a Quarkus service in Supervisor tests: prints its system properties,
 * answers 200 on /q/health/ready at quarkus.http.port, writes the admin token file when
 * asked to, and exits with code 3 at once when -Dvirga.fake.fail=true. With
 * -Dvirga.fake.fail-bind-once=FILE it fails like a server whose port is taken (BindException)
 * unless FILE exists, creating FILE: the next start succeeds.
 */
public final class FakeService {

    public static void main(String[] args) throws Exception {
        new TreeMap<>(System.getProperties()).forEach((k, v) -> {
            if (k.toString().startsWith("quarkus.") || k.toString().startsWith("virga.")) {
                System.out.println("prop " + k + "=" + v);
            }
        });
        System.out.println("cwd " + Path.of("").toAbsolutePath());
        if (Boolean.getBoolean("virga.fake.fail")) {
            System.out.println("fake failure requested");
            System.exit(3);
        }
        String failBindOnce = System.getProperty("virga.fake.fail-bind-once");
        if (failBindOnce != null && !Files.exists(Path.of(failBindOnce))) {
            Files.writeString(Path.of(failBindOnce), "failed once\n");
            throw new java.net.BindException("Address already in use (fake, port " + System.getProperty("quarkus.http.port") + ")");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getProperty("quarkus.http.host"),
                Integer.getInteger("quarkus.http.port")), 10);
        server.createContext("/q/health/ready", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String tokenFile = System.getProperty("virga.gateway.admin-token-file");
        if (tokenFile != null) {
            Files.writeString(Path.of(tokenFile), "fake-admin-token\n");
        }
        System.out.println("ready");
        Thread.currentThread().join();
    }
}

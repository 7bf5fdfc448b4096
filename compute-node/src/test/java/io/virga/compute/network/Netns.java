package io.virga.compute.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test makes (prefix {@code vn-}, removed by {@link #close}),
 * guests in them (a veth into a node namespace's bridge, as the runc driver
 * plugs containers) and the busybox tools that probe them. All traffic stays
 * inside these namespaces.
 */
final class Netns implements AutoCloseable {
    private final String tag = UUID.randomUUID().toString().substring(0, 4);
    private final List<String> made = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private final String prefix;

    Netns() {
        this("vn-");
    }

    /** Namespaces named {@code <prefix><short><tag>}. */
    Netns(String prefix) {
        this.prefix = prefix;
    }

    /** A per-instance tag, so that parallel runs never share names. */
    String tag() {
        return tag;
    }

    static boolean usable() {
        return "root".equals(System.getProperty("user.name")) && new java.io.File("/usr/sbin/nft").exists()
                && new java.io.File("/usr/bin/busybox").exists();
    }

    /** Makes namespace {@code <prefix><short><tag>} and answers its name. */
    String add(String shortName) {
        String name = prefix + shortName + tag;
        sh("ip", "netns", "add", name);
        made.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /**
     * A guest: namespace with eth0 = MAC / address, its host end {@code attachment.deviceName()} in the
     * bridge of {@code node}.
     */
    String guest(String shortName, String node, io.virga.hypervisor.HostAttachment a, String mac, String cidr) {
        String ns = add(shortName);
        sh("ip", "-n", node, "link", "add", a.deviceName(), "type", "veth", "peer", "name", "eth0", "netns", ns);
        if (a.mtu() > 0) {
            sh("ip", "-n", node, "link", "set", a.deviceName(), "mtu", String.valueOf(a.mtu()));
            sh("ip", "-n", ns, "link", "set", "eth0", "mtu", String.valueOf(a.mtu()));
        }
        sh("ip", "-n", node, "link", "set", a.deviceName(), "master", a.bridge(), "up");
        sh("ip", "-n", ns, "link", "set", "eth0", "address", mac, "up");
        sh("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
        return ns;
    }

    /** A TCP server answering "ok" on every connection. */
    void serve(String ns, int port) {
        try {
            servers.add(new ProcessBuilder("ip", "netns", "exec", ns, "busybox", "nc", "-ll", "-p",
                    String.valueOf(port), "-e", "/bin/echo", "ok").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean ping(String ns, String ip) {
        return run("ip", "netns", "exec", ns, "busybox", "ping", "-c", "1", "-W", "1", ip).exit == 0;
    }

    boolean tcp(String ns, String ip, int port) {
        return run("ip", "netns", "exec", ns, "busybox", "nc", "-w", "1", ip, String.valueOf(port))
                .output.contains("ok");
    }

    record Out(int exit, String output) {
    }

    static Out run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Out(-1, out);
            }
            return new Out(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sh(String... argv) {
        Out o = run(argv);
        assertEquals(0, o.exit, String.join(" ", argv) + ": " + o.output);
        return o.output;
    }

    @Override
    public void close() {
        for (Process p : servers) {
            p.destroy();
        }
        for (int i = made.size() - 1; i >= 0; i--) {
            run("ip", "netns", "del", made.get(i));
        }
    }
}

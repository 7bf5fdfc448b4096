package io.virga.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which hypervisor driver each compute node of a local cloud runs: {@code host-1 … host-N} in order.
 * Written {@code sim:3,qemu:1,runc:1} (or a bare count {@code 3}, meaning that many {@code sim} nodes).
 * The default ({@link #defaults()}) is three {@code sim} nodes plus one {@code qemu} node where
 * {@code qemu-system-x86_64} is installed and one {@code runc} node where {@code runc} is, so that a
 * newcomer's first instance can boot a real VM.
 *
 * @param drivers the driver of host-1, host-2, … (at least one node)
 */
public record NodeMix(List<String> drivers) {
    public static final Set<String> DRIVERS = Set.of("sim", "qemu", "runc");

    public NodeMix {
        drivers = List.copyOf(drivers);
        for (String d : drivers) {
            if (!DRIVERS.contains(d)) {
                throw new IllegalArgumentException("unknown driver '" + d + "'; known: qemu, runc, sim");
            }
        }
    }

    /**
     * Parses {@code sim:3,qemu:1} or {@code 3}.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static NodeMix parse(String text) {
        if (text.matches("\\d+")) {
            return new NodeMix(java.util.Collections.nCopies(Integer.parseInt(text), "sim"));
        }
        List<String> drivers = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2 || !kv[1].matches("\\d{1,3}")) {
                throw new IllegalArgumentException("--nodes: '" + part + "' is not DRIVER:COUNT (e.g. sim:3,qemu:1)");
            }
            drivers.addAll(java.util.Collections.nCopies(Integer.parseInt(kv[1]), kv[0]));
        }
        return new NodeMix(drivers);
    }

    /** Three sim nodes, plus a qemu node and a runc node where their binaries are on the PATH. */
    public static NodeMix defaults() {
        List<String> drivers = new ArrayList<>(List.of("sim", "sim", "sim"));
        if (onPath("qemu-system-x86_64") && onPath("qemu-img")) {
            drivers.add("qemu");
        }
        if (onPath("runc")) {
            drivers.add("runc");
        }
        return new NodeMix(drivers);
    }

    public int count() {
        return drivers.size();
    }

    /** Sets {@code virga.compute.driver} of every non-sim node on {@code builder}, and the node count. */
    public SupervisorOptions.Builder applyTo(SupervisorOptions.Builder builder) {
        builder.computeNodes(drivers.size());
        for (int n = 1; n <= drivers.size(); n++) {
            String driver = drivers.get(n - 1);
            if (!driver.equals("sim")) {
                builder.property(StackPlan.hostName(n), "virga.compute.driver", driver);
            }
        }
        return builder;
    }

    /** {@code sim:3,qemu:1}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (String d : new java.util.LinkedHashSet<>(drivers)) {
            b.append(b.length() == 0 ? "" : ",").append(d).append(':')
                    .append(drivers.stream().filter(d::equals).count());
        }
        return b.toString();
    }

    /** True when {@code command} is an executable file in a directory of {@code $PATH}. */
    public static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

package io.virga.compute.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ports plugged on this node (instance, port, VXLAN id, host device),
 * kept in a file of the node's state directory so that a restarted node knows
 * what it set up ({@code <instance> <port> <vni> <device>} per line, replaced
 * atomically on every change).
 */
final class LocalPorts {
    /** One plugged port. */
    record Entry(String instanceId, String portId, int vni, String device) {
    }

    private final Path file;
    private final Map<String, Entry> byPort = new ConcurrentHashMap<>();

    LocalPorts(Path file) {
        this.file = file;
        load();
    }

    synchronized void put(Entry e) {
        byPort.put(e.portId(), e);
        save();
    }

    /** Removes the instance's ports; answers them. */
    synchronized List<Entry> removeInstance(String instanceId) {
        List<Entry> gone = byPort.values().stream().filter(e -> e.instanceId().equals(instanceId)).toList();
        gone.forEach(e -> byPort.remove(e.portId()));
        save();
        return gone;
    }

    Collection<Entry> all() {
        return List.copyOf(byPort.values());
    }

    private void load() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split(" ");
                if (f.length == 4) {
                    byPort.put(f[1], new Entry(f[0], f[1], Integer.parseInt(f[2]), f[3]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new DataPlaneException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        byPort.values().forEach(e -> lines.add(e.instanceId() + " " + e.portId() + " " + e.vni() + " " + e.device()));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DataPlaneException("cannot write " + file + ": " + e.getMessage());
        }
    }
}

package io.virga.hypervisor.sim;

import io.virga.hypervisor.CapacityExceededException;
import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import io.virga.hypervisor.sim.SimHypervisor.Guest;
import io.virga.hypervisor.sim.SimHypervisor.Incoming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The sim's {@link io.virga.hypervisor.Migratable}: a prepared destination guest is BUILDING and holds
 * its resources; a live one arrives over {@link SimMigration}, a cold one boots in
 * {@link #finishIncoming}. Works on the guest table of its {@link SimHypervisor}, under its lock.
 */
final class SimMigrator {
    private final SimHypervisor sim;

    SimMigrator(SimHypervisor sim) {
        this.sim = sim;
    }

    MigrationEndpoint prepareIncoming(GuestSpec spec, boolean live) {
        String id = spec.instanceId();
        synchronized (sim.lock) {
            Guest existing = sim.guests.get(id);
            if (existing != null) {
                if (existing.incoming() != null && existing.incoming().live() == live) {
                    SimHypervisor.requireSameResources(existing.spec(), spec);
                    return existing.incoming().endpoint();
                }
                throw new GuestConflictException("guest " + id + " already exists on " + sim.options.hostName()
                        + " (" + existing.status().state() + "); cannot receive it");
            }
            List<String> shortfalls = sim.shortfalls(spec.vcpus(), spec.ramMb(), spec.diskGb());
            if (!shortfalls.isEmpty()) {
                throw new CapacityExceededException(String.join("; ", shortfalls));
            }
            SimMigration.Listener listener = live ? new SimMigration.Listener(id, this::arrive) : null;
            MigrationEndpoint endpoint = live ? listener.endpoint()
                    : new MigrationEndpoint("sim://" + sim.options.hostName() + "/" + id, false);
            GuestStatus waiting = new GuestStatus(id, PowerState.BUILDING, spec.vcpus(), spec.ramMb(), null);
            sim.guests.put(id, new Guest(spec, waiting, new CompletableFuture<>(), null,
                    new Incoming(live, listener, endpoint, false)));
            return endpoint;
        }
    }

    /** A live guest arrives from its source: it runs here from now on. Null when taken over, else why not. */
    String arrive(String id, Instant startedAt) {
        synchronized (sim.lock) {
            Guest g = sim.guests.get(id);
            if (g == null || g.incoming() == null || !g.incoming().live() || g.incoming().arrived()) {
                return "guest " + id + " is not waiting on " + sim.options.hostName();
            }
            GuestStatus running = g.status().with(PowerState.RUNNING, startedAt);
            try {
                sim.save(g.spec(), running);
            } catch (IOException e) {
                return "cannot save the state of guest " + id + ": " + e.getMessage();
            }
            Incoming in = g.incoming();
            sim.guests.put(id, new Guest(g.spec(), running, g.build(), null,
                    new Incoming(true, in.listener(), in.endpoint(), true)));
            sim.consoles.append(id, "guest " + id + " arrived by live migration; running");
            return null;
        }
    }

    DiskFormat exportDisk(String instanceId, OutputStream out) {
        byte[] image;
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            SimHypervisor.requireIn(g, EnumSet.of(PowerState.SHUTDOWN), "export the disk of");
            image = SimDiskImage.describe(g.spec());
        }
        SimHypervisor.write(instanceId, image, out);
        return DiskFormat.RAW;
    }

    void importDisk(String instanceId, DiskFormat format, InputStream in) {
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            if (g.incoming() == null || g.incoming().live()) {
                throw new GuestConflictException("guest " + instanceId + " is not prepared for a cold migration");
            }
        }
        if (format != DiskFormat.RAW) {
            throw new HypervisorException("a sim disk is RAW, got " + format);
        }
        SimDiskImage.verify(instanceId, in);
    }

    void migrateTo(String instanceId, MigrationEndpoint target) {
        Instant startedAt;
        synchronized (sim.lock) {
            Guest g = sim.require(instanceId);
            SimHypervisor.requireIn(g, EnumSet.of(PowerState.RUNNING), "live-migrate");
            startedAt = g.status().startedAt();
        }
        SimMigration.send(instanceId, startedAt, target);
        sim.destroy(instanceId);
    }

    GuestStatus finishIncoming(String instanceId) {
        Guest g;
        synchronized (sim.lock) {
            g = sim.require(instanceId);
            if (g.incoming() == null) {
                SimHypervisor.requireIn(g, EnumSet.of(PowerState.RUNNING), "finish the migration of");
                return g.status();
            }
            if (g.incoming().live()) {
                if (!g.incoming().arrived()) {
                    throw new GuestConflictException("guest " + instanceId + " has not arrived on "
                            + sim.options.hostName() + " yet");
                }
                g.incoming().listener().close();
                sim.guests.put(instanceId, g.withStatus(g.status()));
                g.build().complete(g.status());
                return g.status();
            }
        }
        sim.bootDelay(instanceId, "finishing the migration");
        synchronized (sim.lock) {
            Guest now = sim.guests.get(instanceId);
            if (now != g) {
                throw new HypervisorException("incoming guest " + instanceId + " was destroyed while it booted");
            }
            GuestStatus running = g.status().with(PowerState.RUNNING, SimHypervisor.now());
            sim.saveOrThrow(g.spec(), running);
            sim.guests.put(instanceId, g.withStatus(running));
            sim.consoles.append(instanceId, "guest " + instanceId + " arrived by cold migration; booted");
            g.build().complete(running);
            return running;
        }
    }
}

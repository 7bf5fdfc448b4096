package io.virga.hypervisor.runc;

import io.virga.hypervisor.DiskFormat;
import io.virga.hypervisor.GuestConflictException;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.MigrationEndpoint;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The destination half of a cold migration: {@link #prepare} reserves the guest (BUILDING, no root filesystem
 * yet), {@link #importInto} unpacks the TAR the source exported, {@link RuncHypervisor#finishIncoming} boots it
 * (unpacking the spec's own image when nothing was imported). Live migration is not offered.
 */
final class ColdMigration {
    private final RuncHypervisor driver;

    ColdMigration(RuncHypervisor driver) {
        this.driver = driver;
    }

    MigrationEndpoint prepare(GuestSpec spec, boolean live) {
        if (live) {
            throw new GuestConflictException("runc cannot receive a live migration; migrate guest "
                    + spec.instanceId() + " cold");
        }
        BundleWriter.image(spec);
        MigrationEndpoint endpoint = new MigrationEndpoint("runc://" + driver.options().hostName() + "/"
                + spec.instanceId(), false);
        Guest g = driver.reserveIncoming(spec);
        if (g == null) {
            return driver.withGuest(spec.instanceId(), existing -> {
                RuncHypervisor.requireIn(existing, java.util.EnumSet.of(PowerState.BUILDING), "prepare a migration of");
                return endpoint;
            });
        }
        try {
            Files.createDirectories(g.dir);
            g.save();
            return endpoint;
        } catch (IOException | RuntimeException e) {
            driver.removeEverything(g);
            throw new HypervisorException("cannot prepare guest " + spec.instanceId() + ": " + e.getMessage(), e);
        } finally {
            g.lock.unlock();
        }
    }

    /** Replaces the prepared guest's root filesystem with the TAR in {@code in}. Guest lock held. */
    void importInto(Guest g, DiskFormat format, InputStream in) {
        RuncHypervisor.requireIn(g, java.util.EnumSet.of(PowerState.BUILDING), "import a disk into");
        if (format != DiskFormat.TAR) {
            throw new HypervisorException("runc imports TAR root filesystems only, not " + format.wireName());
        }
        Path tar = g.dir.resolve("import.tar");
        try {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
            Path imported = g.dir.resolve("imported");
            RootfsMount.release(g);
            Files2.deleteTree(imported);
            ImageConfig config = ImageCache.unpackKeepingConfig(tar, imported, g.dir.resolve("unpack"));
            BundleWriter.freshRootfs(g, imported, config);
            g.save();
        } catch (IOException e) {
            throw new HypervisorException("cannot import the disk of guest " + g.id() + ": " + e.getMessage(), e);
        } finally {
            Files2.deleteTree(tar);
        }
    }

    /** Source: the TAR of a stopped guest's root filesystem. Guest lock held. */
    DiskFormat export(Guest g, java.io.OutputStream out) {
        RuncHypervisor.requireIn(g, java.util.EnumSet.of(PowerState.SHUTDOWN), "export the disk of");
        RootfsMount.ensure(g);
        BundleWriter.tarRootfs(g.rootfs(), out, "export of guest " + g.id());
        return DiskFormat.TAR;
    }

    /** Destination: boots the prepared guest (idempotent once it runs). Guest lock held. */
    io.virga.hypervisor.GuestStatus finish(Guest g) {
        if (g.state() == PowerState.RUNNING) {
            return g.status();
        }
        RuncHypervisor.requireIn(g, java.util.EnumSet.of(PowerState.BUILDING), "finish the migration of");
        fillIfEmpty(g);
        driver.bootFirstTime(g);
        return g.status();
    }

    /** Unpacks the spec's image when no disk was imported. Guest lock held. */
    private void fillIfEmpty(Guest g) {
        if (g.lower() == null) {
            ImageCache.Unpacked unpacked = driver.images().get(BundleWriter.image(g.spec()));
            BundleWriter.freshRootfs(g, unpacked.rootfs(), unpacked.config());
            g.save();
        }
    }
}

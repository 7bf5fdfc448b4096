package io.virga.hypervisor.runc;

import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a new driver does with the state directory it finds (a restart of the node, like a kubelet's
 * reconcile): every guest record is loaded; a container still running is adopted as it is (never started
 * twice); one that ended meanwhile is reported SHUTDOWN (exit 0) or CRASHED; a guest that was still
 * BUILDING when the old driver went away is removed entirely (its spawn never returned, so the control
 * plane retries it); a runc container no guest owns is deleted.
 */
final class Adoption {
    private final RuncHypervisor driver;

    Adoption(RuncHypervisor driver) {
        this.driver = driver;
    }

    void run() {
        List<Path> dirs;
        try (var list = Files.list(driver.guestsDir())) {
            dirs = list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            RuncHypervisor.warn("cannot list " + driver.guestsDir() + ": " + e.getMessage());
            dirs = List.of();
        }
        for (Path dir : dirs) {
            adopt(dir);
        }
        for (String id : driver.runc().containerIds()) {
            if (!driver.guests().containsKey(id)) {
                RuncHypervisor.warn("removing runc container " + id + ", which no guest owns");
                try {
                    driver.runc().forceDelete(id);
                } catch (RuntimeException e) {
                    RuncHypervisor.warn(e.getMessage());
                }
            }
        }
    }

    private void adopt(Path dir) {
        Guest g;
        try {
            g = Guest.load(dir);
        } catch (IOException | RuntimeException e) {
            RuncHypervisor.warn("skipping unreadable guest record in " + dir + ": " + e.getMessage());
            return;
        }
        if (!dir.getFileName().toString().equals(g.id())) {
            RuncHypervisor.warn("skipping guest record " + dir + " that names guest " + g.id());
            return;
        }
        driver.guests().put(g.id(), g);
        g.lock.lock();
        try {
            if (g.state() == PowerState.BUILDING) {
                RuncHypervisor.warn("removing guest " + g.id() + ", whose build was cut short");
                driver.removeEverything(g);
                return;
            }
            driver.runtime().refresh(g);
        } catch (RuntimeException e) {
            RuncHypervisor.warn("cannot reconcile guest " + g.id() + ": " + e.getMessage());
        } finally {
            g.lock.unlock();
        }
    }
}

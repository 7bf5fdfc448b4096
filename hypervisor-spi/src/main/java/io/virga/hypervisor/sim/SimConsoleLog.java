package io.virga.hypervisor.sim;

import io.virga.hypervisor.HypervisorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The sim's serial consoles: one log file per guest, {@code <dir>/<instance id>.log}, to which the sim
 * appends a line for every power transition ("[2026-…Z] sim: guest i-abc booted"), as a real guest's
 * serial console shows its boot. The file is removed with the guest.
 */
final class SimConsoleLog {
    private final Path dir;

    /** Logs under {@code stateDir/consoles}, or in a new temporary directory without a state directory. */
    SimConsoleLog(Path stateDir) {
        try {
            this.dir = stateDir != null ? Files.createDirectories(stateDir.resolve("consoles"))
                    : Files.createTempDirectory("virga-sim-consoles");
        } catch (IOException e) {
            throw new HypervisorException("cannot create the sim console directory: " + e.getMessage(), e);
        }
    }

    Path pathOf(String instanceId) {
        return dir.resolve(instanceId + ".log");
    }

    /** Appends one line; a failure to write a console line never fails the guest's operation. */
    void append(String instanceId, String line) {
        try {
            Files.writeString(pathOf(instanceId), "[" + Instant.now() + "] sim: " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.getLogger(SimConsoleLog.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot write the console log of " + instanceId + ": " + e.getMessage());
        }
    }

    void delete(String instanceId) {
        try {
            Files.deleteIfExists(pathOf(instanceId));
        } catch (IOException e) {
            System.getLogger(SimConsoleLog.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot remove the console log of " + instanceId + ": " + e.getMessage());
        }
    }
}

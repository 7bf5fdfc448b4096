package io.virga.hypervisor.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps simulated guests as one JSON file each, {@code <dir>/guests/<instance id>.json},
 * written atomically (temporary file, then rename), so that a node restarted on
 * the same directory finds the guests that "kept running". Only guests that have
 * booted are stored: a build cut short by a crash leaves nothing.
 */
final class SimStateStore {
    private static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The stored form of one guest. */
    record StoredGuest(int format, GuestSpec spec, PowerState state, String startedAt) {
        Instant startedAtInstant() {
            return Instant.parse(startedAt);
        }
    }

    private final Path guestsDir;

    SimStateStore(Path stateDir) {
        this.guestsDir = stateDir.resolve("guests");
        try {
            Files.createDirectories(guestsDir);
        } catch (IOException e) {
            throw new HypervisorException("cannot create sim state directory " + guestsDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every stored guest.
     *
     * @throws HypervisorException naming the file when one cannot be read: a node must not
     *                             start while forgetting a guest that may be running
     */
    List<StoredGuest> loadAll() {
        List<StoredGuest> result = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(guestsDir, "*.json")) {
            for (Path file : files) {
                result.add(read(file));
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot list sim state directory " + guestsDir + ": " + e.getMessage(), e);
        }
        return result;
    }

    private StoredGuest read(Path file) {
        StoredGuest g;
        try {
            g = MAPPER.readValue(file.toFile(), StoredGuest.class);
        } catch (IOException e) {
            throw new HypervisorException("cannot read sim state file " + file + ": " + e.getMessage(), e);
        }
        if (g == null || g.format() != FORMAT || g.spec() == null || g.state() == null || g.startedAt() == null) {
            throw new HypervisorException("sim state file " + file + " is incomplete or of an unknown format");
        }
        if (!file.getFileName().toString().equals(g.spec().instanceId() + ".json")) {
            throw new HypervisorException("sim state file " + file + " holds guest " + g.spec().instanceId());
        }
        try {
            g.startedAtInstant();
        } catch (DateTimeParseException e) {
            throw new HypervisorException("sim state file " + file + " has a bad startedAt: " + g.startedAt(), e);
        }
        return g;
    }

    /** Writes (or replaces) the guest's file atomically. */
    void save(GuestSpec spec, PowerState state, Instant startedAt) throws IOException {
        Path target = fileOf(spec.instanceId());
        Path tmp = guestsDir.resolve(spec.instanceId() + ".json.tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), new StoredGuest(FORMAT, spec, state, startedAt.toString()));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Removes the guest's file; nothing when there is none. */
    void delete(String instanceId) throws IOException {
        Files.deleteIfExists(fileOf(instanceId));
    }

    Path fileOf(String instanceId) {
        return guestsDir.resolve(instanceId + ".json");
    }
}

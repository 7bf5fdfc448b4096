package io.virga.storage.backend;

import static io.virga.platform.grpc.GrpcErrors.invalidArgument;

import io.virga.storage.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured backends and the volume types that map to them
 * ({@code virga.storage.volume-types.<type>=<backend>}). Adding a backend
 * (rbd, lvm) means one more entry in {@link #Backends}: the services only
 * see {@link VolumeBackend}.
 */
@ApplicationScoped
public class Backends {
    /** Volumes whose storage is their database record (boot volumes the node makes itself). */
    public static final String RECORD = "record";

    private final Map<String, VolumeBackend> byName = new TreeMap<>();
    private final Map<String, String> types;
    private final VolumeConfig config;

    public Backends(StorageConfig storage, VolumeConfig config) {
        this.config = config;
        this.types = new TreeMap<>(config.types());
        FileBackend file = new FileBackend(storage.dataDir().resolve("volumes"), config.qemuImg(), config.qemuImgTimeout());
        long simBytes = settings("sim").capacityGb().orElse(1L << 20) << 30;
        byName.put(file.name(), file);
        byName.put("sim", new SimBackend(simBytes));
        byName.put(RECORD, new RecordBackend());
        types.forEach((type, backend) -> {
            if (!byName.containsKey(backend)) {
                throw new IllegalStateException("volume type " + type + " maps to unknown backend " + backend);
            }
        });
    }

    /** The type's name, or the default for an empty one; INVALID_ARGUMENT volume_type when unknown. */
    public String resolveType(String type) {
        String t = type == null || type.isEmpty() ? config.defaultType() : type;
        if (!types.containsKey(t)) {
            throw invalidArgument("volume_type", "unknown type " + t + "; known: " + String.join(", ", types.keySet()));
        }
        return t;
    }

    public String backendOf(String type) {
        return types.get(resolveType(type));
    }

    /** The backend {@code name} ({@link #RECORD}: one whose operations do nothing). */
    public VolumeBackend named(String name) {
        VolumeBackend b = byName.get(name);
        if (b == null) {
            throw new IllegalStateException("no backend " + name);
        }
        return b;
    }

    /** The backends that store data (not {@link #RECORD}). */
    public Map<String, VolumeBackend> storing() {
        Map<String, VolumeBackend> out = new TreeMap<>(byName);
        out.remove(RECORD);
        return out;
    }

    public VolumeConfig.BackendSettings settings(String name) {
        VolumeConfig.BackendSettings s = config.backends().get(name);
        return s != null ? s : new VolumeConfig.BackendSettings() {
            @Override
            public double oversubscriptionRatio() {
                return 10;
            }

            @Override
            public java.util.Optional<Long> capacityGb() {
                return java.util.Optional.empty();
            }
        };
    }

    /** Physical bytes to account with: the configured capacity, or what the backend reports. */
    public long physicalBytes(String name) {
        return settings(name).capacityGb().map(gb -> gb << 30).orElseGet(() -> named(name).physical().totalBytes());
    }
}

package io.virga.hypervisor.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.InvalidGuestSpecException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the OCI runtime {@code config.json} of a guest's bundle (generated here, never by {@code runc spec}).
 *
 * <p>What it holds: the process (argv from the spec, else the image's entrypoint + cmd, else
 * {@code /sbin/init} in system mode; env = image env + spec env; cwd = image WorkingDir), hostname = the
 * instance name (made a valid host name), namespaces pid, mount, ipc, uts and network (the guest's own
 * netns when it has NICs, else a fresh one with only loopback), cgroup limits from the flavor (memory =
 * ramMb, CPU quota = vcpus × period, a pids limit), the usual /proc, /dev, /sys mounts, Docker's default
 * capability set, and masked / read-only kernel paths.
 */
final class BundleConfig {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final long CPU_PERIOD_US = 100_000;
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private BundleConfig() {
    }

    /** The argv the guest runs (see the class comment); throws when there is none. */
    static List<String> args(GuestSpec spec, ImageConfig image, Path rootfs) {
        ContainerMode mode = mode(spec);
        if (spec.container() != null && !spec.container().command().isEmpty()) {
            return spec.container().command();
        }
        if (mode == ContainerMode.SYSTEM && Files.exists(rootfs.resolve("sbin/init"), LinkOption.NOFOLLOW_LINKS)) {
            return List.of("/sbin/init");
        }
        List<String> fromImage = image.defaultArgs();
        if (fromImage.isEmpty()) {
            throw new InvalidGuestSpecException("container.command", "the image has no entrypoint"
                    + (mode == ContainerMode.SYSTEM ? " and no /sbin/init" : "") + "; give a command");
        }
        return fromImage;
    }

    static ContainerMode mode(GuestSpec spec) {
        return spec.container() == null ? ContainerMode.SYSTEM : spec.container().mode();
    }

    /** A valid host name (RFC 1123 label) made from the instance name, falling back to the instance id. */
    static String hostname(GuestSpec spec) {
        String h = spec.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (h.isEmpty()) {
            h = spec.instanceId().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        }
        return h.length() > 63 ? h.substring(0, 63).replaceAll("-+$", "") : h;
    }

    /** The config.json document. {@code netnsPath} is the guest's network namespace, or null for a fresh one. */
    static ObjectNode document(GuestSpec spec, ImageConfig image, List<String> args, String netnsPath, long pidsLimit,
                               String cgroupsPath) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ociVersion", "1.0.2");
        ObjectNode process = root.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        int[] ids = numericUser(image.user());
        user.put("uid", ids[0]);
        user.put("gid", ids[1]);
        ArrayNode argv = process.putArray("args");
        args.forEach(argv::add);
        ArrayNode env = process.putArray("env");
        environment(spec, image).forEach((k, v) -> env.add(k + "=" + v));
        process.put("cwd", image.workingDir().startsWith("/") ? image.workingDir() : "/");
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            ArrayNode a = caps.putArray(set);
            CAPS.forEach(a::add);
        }
        root.putObject("root").put("path", "rootfs").put("readonly", false);
        root.put("hostname", hostname(spec));
        ArrayNode mounts = root.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        mount(mounts, "/run", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=755", "size=65536k"));
        ObjectNode linux = root.putObject("linux");
        linux.put("cgroupsPath", cgroupsPath);
        ObjectNode resources = linux.putObject("resources");
        resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        resources.putObject("memory").put("limit", spec.ramMb() * 1024 * 1024);
        resources.putObject("cpu").put("quota", spec.vcpus() * CPU_PERIOD_US).put("period", CPU_PERIOD_US);
        resources.putObject("pids").put("limit", pidsLimit);
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String ns : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", ns);
        }
        ObjectNode net = namespaces.addObject().put("type", "network");
        if (netnsPath != null) {
            net.put("path", netnsPath);
        }
        ArrayNode masked = linux.putArray("maskedPaths");
        List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi").forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger").forEach(readonly::add);
        return root;
    }

    /** Image env, then the spec's env over it, with PATH, HOSTNAME and VIRGA_INSTANCE_ID defaulted. */
    static Map<String, String> environment(GuestSpec spec, ImageConfig image) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = DEFAULT_PATH;
        env.put("PATH", path.substring("PATH=".length()));
        env.put("HOSTNAME", hostname(spec));
        env.put("VIRGA_INSTANCE_ID", spec.instanceId());
        for (String kv : image.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (spec.container() != null) {
            new java.util.TreeMap<>(spec.container().env()).forEach(env::put);
        }
        return env;
    }

    /** uid and gid from an image's numeric {@code User} ("1000" or "1000:1000"); root for names or none. */
    private static int[] numericUser(String user) {
        int[] ids = {0, 0};
        String[] parts = user.split(":");
        if (!user.isEmpty() && parts[0].matches("\\d{1,9}")) {
            ids[0] = Integer.parseInt(parts[0]);
            ids[1] = parts.length > 1 && parts[1].matches("\\d{1,9}") ? Integer.parseInt(parts[1]) : ids[0];
        }
        return ids;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", destination).put("type", type).put("source", source);
        ArrayNode o = m.putArray("options");
        new ArrayList<>(options).forEach(o::add);
    }
}

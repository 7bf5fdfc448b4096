package io.virga.hypervisor.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whether KVM really runs guest code on this host, not only whether {@code /dev/kvm} opens.
 *
 * <p>Some hosts (nested or sandboxed ones) offer a {@code /dev/kvm} on which QEMU dies at the first
 * vCPU reset ({@code failed to set MSR 0x10a}) or starts but never executes a guest instruction. The
 * probe boots a 512-byte boot sector that writes {@code K} to the first serial port and halts, under
 * {@code -accel kvm -cpu host} (the CPU model the driver uses), and says yes only when the {@code K}
 * arrives within {@link #BUDGET_MS}. The answer is remembered per QEMU binary for the life of the JVM.
 */
final class KvmProbe {
    private static final System.Logger LOG = System.getLogger(KvmProbe.class.getName());
    static final long BUDGET_MS = 10_000;
    private static final Map<String, Boolean> ANSWERS = new ConcurrentHashMap<>();

    private KvmProbe() {
    }

    /** True when {@code qemuBinary} runs guest code under KVM here. */
    static boolean usable(String qemuBinary) {
        return ANSWERS.computeIfAbsent(qemuBinary, KvmProbe::probe);
    }

    /** The boot sector: {@code mov dx,0x3f8; mov al,'K'; out dx,al; hlt; jmp $-1}, signed 0x55AA. */
    static byte[] bootSector() {
        byte[] code = {(byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xB0, 0x4B, (byte) 0xEE, (byte) 0xF4, (byte) 0xEB,
                (byte) 0xFD};
        byte[] sector = new byte[512];
        System.arraycopy(code, 0, sector, 0, code.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    private static boolean probe(String qemuBinary) {
        return runsBootSector(qemuBinary, List.of("-accel", "kvm", "-cpu", "host"));
    }

    /** Whether {@code qemuBinary} with {@code accelArgs} runs the {@link #bootSector()} to its {@code K}. */
    static boolean runsBootSector(String qemuBinary, List<String> accelArgs) {
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("virga-kvm-probe");
            Path disk = Files.write(dir.resolve("boot.img"), bootSector());
            Path serial = dir.resolve("serial.out");
            List<String> argv = new java.util.ArrayList<>(List.of(qemuBinary));
            argv.addAll(accelArgs);
            argv.addAll(List.of("-machine", "pc", "-nodefaults", "-display", "none", "-m", "16", "-no-reboot",
                    "-serial", "file:" + serial, "-drive", "file=" + disk + ",format=raw,if=ide"));
            p = new ProcessBuilder(argv)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
            while (System.nanoTime() < end) {
                if (Files.exists(serial) && Files.size(serial) > 0 && Files.readString(serial).contains("K")) {
                    LOG.log(System.Logger.Level.INFO, "the probe guest ran under " + accelArgs);
                    return true;
                }
                if (!p.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
            String why = Files.exists(dir.resolve("qemu.log")) ? Files.readString(dir.resolve("qemu.log")).strip() : "";
            LOG.log(System.Logger.Level.WARNING, "the probe guest did not run under " + accelArgs + " ("
                    + (why.isEmpty() ? "no output from the probe guest within " + BUDGET_MS + " ms" : why)
                    + ")");
            return false;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the probe guest could not start (" + e + ")");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (p != null) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}

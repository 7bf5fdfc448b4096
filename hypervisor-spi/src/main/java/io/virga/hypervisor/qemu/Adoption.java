package io.virga.hypervisor.qemu;

import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.HypervisorException;
import io.virga.hypervisor.PowerState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a new driver does with the guests in its state directory, like a kubelet on restart:
 *
 * <pre>
 * stored state      | QEMU process           | becomes
 * ------------------+------------------------+----------------------------------------------
 * BUILDING          | any                    | removed (a build cut short; the spawn is retried)
 * RUNNING, PAUSED   | alive, running/paused  | adopted as QEMU reports it, without a restart
 * RUNNING, PAUSED   | alive, guest powered off| SHUTDOWN (the process is ended)
 * RUNNING, PAUSED   | gone                   | CRASHED
 * SHUTDOWN, SUSPENDED, CRASHED | (a stray one is ended) | kept as stored
 * </pre>
 */
final class Adoption {
    private static final System.Logger LOG = System.getLogger(Adoption.class.getName());

    private final QemuRuntime rt;

    Adoption(QemuRuntime rt) {
        this.rt = rt;
    }

    void adoptAll() {
        try {
            for (Path stateFile : QemuHypervisor.stateFiles(rt.options.stateDir())) {
                adopt(stateFile);
            }
        } catch (IOException e) {
            throw new HypervisorException("cannot read state directory " + rt.options.stateDir() + ": " + e.getMessage(), e);
        }
    }

    private void adopt(Path stateFile) {
        StoredGuest s;
        try {
            s = QemuRuntime.read(stateFile);
        } catch (IOException e) {
            // a node must not start while forgetting a guest that may be running
            throw new HypervisorException("cannot read guest state file " + stateFile + ": " + e.getMessage(), e);
        }
        String id = s.spec().instanceId();
        GuestFiles files = rt.files(id);
        Instant startedAt = QemuHypervisor.parseInstant(s.startedAt());
        QemuGuest g = new QemuGuest(s.spec(), files, new GuestStatus(id, s.state(), s.spec().vcpus(),
                s.spec().ramMb(), startedAt));
        g.hotplugged = s.hotplugged();
        g.incoming = s.incoming();
        g.pid = QemuProcesses.readPid(files).orElse(0);
        boolean alive = QemuProcesses.alive(g.pid, files);
        if (s.state() == PowerState.BUILDING || startedAt == null) {
            LOG.log(System.Logger.Level.INFO, "removing guest " + id + ": its build was cut short");
            if (alive) {
                QemuProcesses.awaitExitOrKill(g.pid, files, Duration.ZERO);
            }
            TapDevices.remove(s.spec());
            rt.removeFiles(g);
            return;
        }
        synchronized (rt.books) {
            rt.guests.put(id, g);
        }
        g.lock.lock();
        try {
            switch (s.state()) {
                case RUNNING, PAUSED -> {
                    if (!alive) {
                        g.pid = 0;
                        rt.publish(g, PowerState.CRASHED, startedAt);
                        LOG.log(System.Logger.Level.WARNING, "guest " + id + " died while its driver was away: CRASHED");
                        return;
                    }
                    rt.connect(g, rt.options.commandTimeout());
                    String runState = rt.runState(g);
                    switch (runState) {
                        case "running" -> rt.publish(g, PowerState.RUNNING, startedAt);
                        case "shutdown" -> {
                            rt.terminate(g, Duration.ZERO);
                            rt.publish(g, PowerState.SHUTDOWN, startedAt);
                        }
                        default -> rt.publish(g, PowerState.PAUSED, startedAt);
                    }
                    rt.markBoot(g);
                    g.bootLogOffset = 0;
                }
                default -> {
                    if (alive) {
                        QemuProcesses.awaitExitOrKill(g.pid, files, Duration.ZERO);
                    }
                    g.pid = 0;
                }
            }
        } finally {
            g.lock.unlock();
        }
    }
}

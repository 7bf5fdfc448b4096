package io.virga.compute.guest;

import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.GuestStatus;
import io.virga.hypervisor.GuestWatch;
import io.virga.hypervisor.HostCapacity;
import io.virga.hypervisor.Hypervisor;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A driver that does its work at once but, when armed, holds the caller of spawn or destroy
 * after the work is done and before returning: the window in which the driver already shows
 * the outcome but the node has not reported it yet.
 */
final class GatedHypervisor implements Hypervisor, GuestWatch {
    private final Hypervisor driver;
    private volatile Gate spawnGate;
    private volatile Gate destroyGate;

    /** Holds one caller: {@link #reached} opens when it arrives, {@link #release} lets it go. */
    static final class Gate {
        final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void awaitReached() throws InterruptedException {
            if (!reached.await(2, TimeUnit.MINUTES)) {
                throw new AssertionError("the driver call never reached the gate");
            }
        }

        void release() {
            released.countDown();
        }

        private void pass() {
            reached.countDown();
            try {
                if (!released.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("gate never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    GatedHypervisor(Hypervisor driver) {
        this.driver = driver;
    }

    /** Passes the inner driver's notices on, when it gives any. */
    @Override
    public void watch(Consumer<String> changed) {
        if (driver instanceof GuestWatch watch) {
            watch.watch(changed);
        }
    }

    Gate holdNextSpawn() {
        spawnGate = new Gate();
        return spawnGate;
    }

    Gate holdNextDestroy() {
        destroyGate = new Gate();
        return destroyGate;
    }

    @Override
    public GuestStatus spawn(GuestSpec spec) {
        GuestStatus status = driver.spawn(spec);
        Gate gate = spawnGate;
        spawnGate = null;
        if (gate != null) {
            gate.pass();
        }
        return status;
    }

    @Override
    public boolean destroy(String instanceId) {
        boolean existed = driver.destroy(instanceId);
        Gate gate = destroyGate;
        destroyGate = null;
        if (gate != null) {
            gate.pass();
        }
        return existed;
    }

    @Override
    public String type() {
        return driver.type();
    }

    @Override
    public HostCapacity capacity() {
        return driver.capacity();
    }

    @Override
    public Set<String> traits() {
        return driver.traits();
    }

    @Override
    public Optional<GuestStatus> status(String instanceId) {
        return driver.status(instanceId);
    }

    @Override
    public List<GuestStatus> list() {
        return driver.list();
    }
}

package io.virga.hypervisor;

import java.util.function.Consumer;

/**
 * Optional capability: the driver notices by itself when a guest's power state may have changed without a
 * call through this SPI (an app container's process exited, a QEMU process died or the guest powered itself
 * off) and says so at once, so the node need not wait for its next periodic power sync.
 *
 * <p>A notice only means "look again": the listener reads the state through {@link Hypervisor#status}. Notices
 * may repeat, may come for a guest whose state did not change in the end, and come on any thread; a change a
 * notice misses (say the driver was restarted) is still found by the periodic sync. Not a host trait: it
 * changes how fast a change is seen, not what a guest can do.
 */
public interface GuestWatch {

    /**
     * Sets the one listener (a later call replaces it). It is called with the instance id and must return
     * quickly (hand the work to another thread).
     */
    void watch(Consumer<String> changed);
}

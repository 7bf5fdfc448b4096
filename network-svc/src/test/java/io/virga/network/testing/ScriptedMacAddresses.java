package io.virga.network.testing;

import io.virga.network.port.MacAddressSource;
import io.virga.network.port.RandomMacAddresses;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test MAC source: hands out scripted MACs first (to force collisions),
 * random ones after. Counts what it handed out.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ScriptedMacAddresses implements MacAddressSource {
    private final RandomMacAddresses random = new RandomMacAddresses();
    private final ConcurrentLinkedQueue<String> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger handedOut = new AtomicInteger();

    public void script(String... macs) {
        script.addAll(java.util.List.of(macs));
        handedOut.set(0);
    }

    public int handedOut() {
        return handedOut.get();
    }

    @Override
    public String next() {
        handedOut.incrementAndGet();
        String scripted = script.poll();
        return scripted != null ? scripted : random.next();
    }
}

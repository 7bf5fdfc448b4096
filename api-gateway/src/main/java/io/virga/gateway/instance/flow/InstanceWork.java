package io.virga.gateway.instance.flow;

import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.gateway.workflow.TxWork;
import java.sql.Connection;

/** Database work on an instance as it is now (re-read in the saving transaction). */
@FunctionalInterface
public interface InstanceWork {
    void apply(Connection c, Instance current) throws Exception;

    /** As {@link TxWork}: reads instance {@code id} in the transaction, then applies. */
    static TxWork on(InstanceRepository instances, String id, InstanceWork work) {
        return c -> work.apply(c, instances.find(c, id).orElseThrow(
                () -> new IllegalStateException("instance " + id + " vanished")));
    }
}

package io.virga.network;

import com.google.protobuf.MessageOrBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.platform.events.CloudEvent;
import io.virga.platform.kafka.ServiceEventing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * network-svc's event plumbing: the transactional outbox and its relay to
 * Kafka. Started with the application (start-up fails fast when Kafka cannot
 * be reached) and closed at shutdown.
 */
@ApplicationScoped
public class NetworkEventing {
    public static final String SERVICE_NAME = "network-svc";

    private final DataSource dataSource;
    private final String bootstrap;
    private volatile ServiceEventing eventing;

    public NetworkEventing(DataSource dataSource,
            @ConfigProperty(name = "virga.kafka.bootstrap-servers") String bootstrap) {
        this.dataSource = dataSource;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent event) {
        eventing = ServiceEventing.start(SERVICE_NAME, dataSource, bootstrap);
    }

    void stop(@Observes ShutdownEvent event) {
        ServiceEventing e = eventing;
        if (e != null) {
            e.close();
        }
    }

    /** True once the outbox relay runs. */
    public boolean started() {
        return eventing != null;
    }

    /**
     * Appends an event to the outbox inside the caller's transaction; it is
     * published (keyed by {@code subject}) only if that transaction commits.
     */
    public void append(Connection tx, String topic, String type, String subject, MessageOrBuilder data)
            throws SQLException {
        ServiceEventing e = eventing;
        if (e == null) {
            throw new IllegalStateException("network-svc eventing is not started yet");
        }
        e.outbox().append(tx, topic, CloudEvent.of(e.source(), type, subject, data));
    }
}

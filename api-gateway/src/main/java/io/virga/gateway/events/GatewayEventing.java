package io.virga.gateway.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.platform.kafka.ServiceEventing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.annotation.Priority;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts {@link ServiceEventing} ("api-gateway": outbox relay + idempotent consumers) at
 * startup and closes it at shutdown. Startup fails fast when Kafka cannot be reached.
 */
@ApplicationScoped
public class GatewayEventing {
    public static final String SERVICE = "api-gateway";
    /** Topics only the gateway writes (not in platform's Topics.ALL): operation events and the audit log. */
    public static final java.util.List<String> OWN_TOPICS = java.util.List.of("virga.gateway.operations",
            "virga.audit.v1");

    private final DataSource dataSource;
    private final String bootstrap;
    private volatile ServiceEventing eventing;

    public GatewayEventing(DataSource dataSource,
            @ConfigProperty(name = "virga.kafka.bootstrap-servers") String bootstrap) {
        this.dataSource = dataSource;
        this.bootstrap = bootstrap;
    }

    /** Runs early among startup observers so that consumers registered later find it started. */
    void onStart(@Observes @Priority(10) StartupEvent event) {
        eventing();
    }

    void onStop(@Observes ShutdownEvent event) {
        ServiceEventing e = eventing;
        if (e != null) {
            e.close();
            eventing = null;
        }
    }

    /** The started eventing (started on first use if a startup observer needs it before ours ran). */
    public synchronized ServiceEventing eventing() {
        if (eventing == null) {
            io.virga.platform.kafka.KafkaClients.ensureTopics(bootstrap, OWN_TOPICS, java.time.Duration.ofSeconds(30));
            eventing = ServiceEventing.start(SERVICE, dataSource, bootstrap);
        }
        return eventing;
    }

    /** The Kafka bootstrap servers the gateway uses. */
    public String bootstrap() {
        return bootstrap;
    }
}

package io.virga.scheduler;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.virga.platform.events.Topics;
import io.virga.platform.kafka.ServiceEventing;
import io.virga.scheduler.host.HostReportHandler;
import io.virga.scheduler.host.HostStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's Kafka side: outbox relay (claimed/released events) and the
 * {@code scheduler-hosts} consumer of host reports. Started after Flyway has
 * migrated (startup fails fast when Kafka is unreachable), closed at shutdown.
 */
@ApplicationScoped
public class Eventing {
    public static final String SERVICE = "scheduler-svc";

    private final ServiceEventing eventing;

    public Eventing(DataSource dataSource, @ConfigProperty(name = "virga.kafka.bootstrap-servers") String bootstrap) {
        this.eventing = ServiceEventing.start(SERVICE, dataSource, bootstrap);
    }

    public ServiceEventing get() {
        return eventing;
    }

    void onStart(@Observes StartupEvent event, HostStore hosts, Clock clock) {
        eventing.subscribe("scheduler-hosts", List.of(Topics.COMPUTE_HOSTS), new HostReportHandler(hosts, clock));
    }

    void onStop(@Observes ShutdownEvent event) {
        eventing.close();
    }
}

package io.virga.platform.kafka;

import io.virga.platform.events.Topics;
import io.virga.platform.inbox.InboxPruner;
import io.virga.platform.outbox.Outbox;
import io.virga.platform.outbox.OutboxRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The event plumbing of one service that owns a database: the outbox, its
 * relay to Kafka, and idempotent consumers. A service makes one at start-up
 * and closes it at shutdown:
 *
 * <pre>{@code
 * ServiceEventing ev = ServiceEventing.start("network-svc", dataSource, bootstrap);
 * ev.outbox().append(tx, Topics.NETWORK_PORTS, event);      // inside a transaction
 * ev.subscribe("network-hosts", List.of(Topics.COMPUTE_HOSTS), handler);
 * }</pre>
 *
 * <p>Consumers are supervised (restarted after a failure) and park poison records on the dead-letter topic;
 * the inbox is pruned of entries older than {@link #INBOX_KEEP}.
 *
 * <p>{@link #start} creates Virga's topics if they are missing, so it fails
 * fast (IllegalStateException) when Kafka cannot be reached.
 */
public final class ServiceEventing implements AutoCloseable {
    /** How long applied event ids are remembered: far longer than any redelivery (offsets commit at once). */
    static final Duration INBOX_KEEP = Duration.ofDays(2);
    static final Duration INBOX_PRUNE_EVERY = Duration.ofMinutes(10);
    private final String serviceName;
    private final DataSource dataSource;
    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;
    private final OutboxRelay relay;
    private final Outbox outbox;
    private final List<EventConsumerLoop> consumers = new ArrayList<>();
    private final DeadLetters deadLetters;
    private final InboxPruner pruner;

    private ServiceEventing(String serviceName, DataSource dataSource, String bootstrap) {
        this.serviceName = serviceName;
        this.dataSource = dataSource;
        this.bootstrap = bootstrap;
        this.producer = KafkaClients.producer(bootstrap, serviceName + "-outbox");
        this.relay = new OutboxRelay(dataSource, producer, Duration.ofMillis(250));
        this.outbox = new Outbox(relay);
        this.deadLetters = new DeadLetters(producer);
        this.pruner = new InboxPruner(dataSource, INBOX_KEEP, INBOX_PRUNE_EVERY);
    }

    public static ServiceEventing start(String serviceName, DataSource dataSource, String bootstrap) {
        KafkaClients.ensureTopics(bootstrap, Topics.ALL, Duration.ofSeconds(30));
        ServiceEventing eventing = new ServiceEventing(serviceName, dataSource, bootstrap);
        eventing.relay.start();
        return eventing;
    }

    /** The CloudEvents source of this service's events, e.g. {@code /virga/network-svc}. */
    public String source() {
        return "/virga/" + serviceName;
    }

    public Outbox outbox() {
        return outbox;
    }

    public OutboxRelay relay() {
        return relay;
    }

    /**
     * Starts an idempotent, supervised consumer; {@code name} is its Kafka group and inbox key. Records it can
     * never apply are parked on {@link Topics#DEAD_LETTERS} (see {@link EventConsumerLoop}).
     */
    public EventConsumerLoop subscribe(String name, Collection<String> topics, EventHandler handler) {
        return subscribe(name, topics, handler, EventConsumerLoop.Settings.DEFAULTS);
    }

    /** As {@link #subscribe(String, Collection, EventHandler)}, with its own parking and restart settings. */
    public synchronized EventConsumerLoop subscribe(String name, Collection<String> topics, EventHandler handler,
                                                    EventConsumerLoop.Settings settings) {
        EventConsumerLoop loop = new EventConsumerLoop(name, bootstrap, topics, dataSource, handler, deadLetters,
                settings);
        consumers.add(loop);
        loop.start();
        return loop;
    }

    /** The health of every consumer started here (readiness: all of them {@link ConsumerHealth#up()}). */
    public synchronized List<ConsumerHealth> consumers() {
        return consumers.stream().map(EventConsumerLoop::health).toList();
    }

    /** Inbox entries pruned since start. */
    public long inboxPruned() {
        return pruner.pruned();
    }

    @Override
    public synchronized void close() {
        pruner.close();
        consumers.forEach(EventConsumerLoop::close);
        relay.close();
        producer.close(Duration.ofSeconds(5));
    }
}

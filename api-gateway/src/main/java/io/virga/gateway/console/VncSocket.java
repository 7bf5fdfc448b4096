package io.virga.gateway.console;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import io.virga.gateway.compute.ComputeClients;
import io.virga.gateway.instance.Instance;
import io.virga.gateway.instance.InstanceRepository;
import io.virga.platform.db.Tx;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The browser's end of a graphical console: {@code ws(s)://<gateway>/console/vnc/{instance}?ticket=<secret>}
 * (noVNC speaks RFB over it in binary frames). Browsers cannot send an Authorization header on a WebSocket,
 * so the ticket from {@code POST /v1/instances/{id}/console} is the credential: it is redeemed at open, once.
 * A ticket that is unknown, already used, expired, for another instance, or whose instance has since left
 * its project or host, closes the socket at once with code 1008 (policy violation) and a reason saying
 * which; nothing is relayed then. Otherwise {@link VncRelay} bridges the socket to the instance's node.
 */
@WebSocket(path = "/console/vnc/{instance}")
public class VncSocket {
    static final int REFUSED = 1008;
    private static final Logger LOG = Logger.getLogger(VncSocket.class);
    private static final UserData.TypedKey<VncRelay> RELAY = new UserData.TypedKey<>("virga.vnc-relay");

    private final ConsoleTickets tickets;
    private final InstanceRepository instances;
    private final ComputeClients compute;
    private final Tx tx;
    private final ConsoleMetrics metrics;

    public VncSocket(ConsoleTickets tickets, Tx tx, InstanceRepository instances, ComputeClients compute,
                     ConsoleMetrics metrics) {
        this.tickets = tickets;
        this.metrics = metrics;
        this.tx = tx;
        this.instances = instances;
        this.compute = compute;
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        String instanceId = connection.pathParam("instance");
        ConsoleTickets.Redemption r = tickets.redeem(ticket(connection.handshakeRequest().query()), instanceId);
        String refusal = switch (r.outcome()) {
            case OK -> still(r.grant()).orElse(null);
            case UNKNOWN -> "console ticket unknown or already used";
            case EXPIRED -> "console ticket expired";
            case WRONG_INSTANCE -> "console ticket is for another instance";
        };
        metrics.opened(refusal == null ? "ok" : r.outcome() == ConsoleTickets.Outcome.OK ? "gone"
                : r.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (refusal != null) {
            LOG.infof("graphical console of %s refused: %s", instanceId, refusal);
            connection.close(new CloseReason(REFUSED, refusal)).subscribe().with(ok -> { }, failure -> { });
            return;
        }
        LOG.infof("graphical console of %s opened (project %s)", instanceId, r.grant().projectId());
        connection.userData().put(RELAY,
                VncRelay.start(compute.streaming(r.grant().hostEndpoint()), connection, instanceId, metrics));
    }

    @OnBinaryMessage
    public void onBinary(WebSocketConnection connection, Buffer data) {
        VncRelay relay = connection.userData().get(RELAY);
        if (relay != null) {
            relay.fromBrowser(data);
        }
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        VncRelay relay = connection.userData().get(RELAY);
        if (relay != null) {
            relay.browserClosed();
        }
    }

    /** Why the granted console may no longer be opened (instance gone, moved project or host), if so. */
    private Optional<String> still(ConsoleTickets.Grant g) {
        Optional<Instance> now = tx.run(c -> instances.find(c, g.instanceId()));
        if (now.isEmpty() || !now.get().projectId().equals(g.projectId())) {
            return Optional.of("instance " + g.instanceId() + " not found");
        }
        if (!g.hostEndpoint().equals(now.get().hostEndpoint())) {
            return Optional.of("instance " + g.instanceId() + " moved; ask for a new console");
        }
        return Optional.empty();
    }

    /** The {@code ticket} parameter of a query string, or null. */
    static String ticket(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("ticket=")) {
                return URLDecoder.decode(pair.substring("ticket=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

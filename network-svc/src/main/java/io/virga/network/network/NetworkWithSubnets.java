package io.virga.network.network;

import io.virga.network.subnet.Subnet;
import java.util.List;

/** A network as answered to callers: the row and its subnets (oldest first). */
public record NetworkWithSubnets(Network network, List<Subnet> subnets) {
    public NetworkWithSubnets {
        subnets = List.copyOf(subnets);
    }
}

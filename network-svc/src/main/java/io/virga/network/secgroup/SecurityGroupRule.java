package io.virga.network.secgroup;

import java.time.Instant;

/**
 * One allow rule of a security group.
 *
 * @param direction    {@code ingress} (to the port) or {@code egress} (from it)
 * @param protocol     {@code any}, {@code tcp}, {@code udp} or {@code icmp}
 * @param portMin      first port of the range (tcp / udp), 0 for every port
 * @param portMax      last port of the range, 0 for every port
 * @param remoteCidr   the peer's addresses (canonical CIDR), or null
 * @param remoteGroupId the peer's group (its member ports' addresses), or null; both null: anywhere
 */
public record SecurityGroupRule(String id, String groupId, String projectId, String direction, String protocol,
        int portMin, int portMax, String remoteCidr, String remoteGroupId, Instant createdAt) {
    public static final String INGRESS = "ingress";
    public static final String EGRESS = "egress";
}

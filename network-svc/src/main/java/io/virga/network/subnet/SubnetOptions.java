package io.virga.network.subnet;

import io.virga.network.ipam.AddressFormatException;
import io.virga.network.ipam.AddressRange;
import io.virga.network.ipam.Cidr;
import io.virga.network.ipam.Ipv4;
import io.virga.platform.grpc.GrpcErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a subnet hands out besides its CIDR and gateway: allocation pools
 * (where automatic addresses come from), DNS servers and host routes.
 * {@link #validate} is the single place these are checked; each failure is
 * INVALID_ARGUMENT naming the field ({@code allocation_pools[1].end}, …).
 */
public record SubnetOptions(List<AddressRange> pools, List<Long> dnsNameservers, List<HostRoute> hostRoutes) {
    public static final int MAX_POOLS = 16;
    public static final int MAX_DNS = 5;
    public static final int MAX_ROUTES = 20;

    /** An allocation pool as received. */
    public record RawPool(String start, String end) {
    }

    /** A host route as received. */
    public record RawRoute(String destination, String nexthop) {
    }

    /**
     * Checks the options against the subnet. Pools: inside the host range of
     * the CIDR, not overlapping each other, not containing the gateway;
     * none given means every host address but the gateway. DNS servers:
     * distinct IPv4 addresses (at most {@value #MAX_DNS}). Host routes: a
     * canonical IPv4 destination CIDR (0.0.0.0/0 allowed) via a host address
     * of the subnet; destinations distinct.
     */
    public static SubnetOptions validate(Cidr cidr, long gateway, List<RawPool> rawPools, List<String> rawDns,
            List<RawRoute> rawRoutes) {
        return new SubnetOptions(pools(cidr, gateway, rawPools), dns(rawDns), routes(cidr, rawRoutes));
    }

    /** The pools when none is given: the host range without the gateway (one or two ranges). */
    public static List<AddressRange> defaultPools(Cidr cidr, long gateway) {
        List<AddressRange> out = new ArrayList<>();
        if (gateway > cidr.firstHost()) {
            out.add(new AddressRange(cidr.firstHost(), gateway - 1));
        }
        if (gateway < cidr.lastHost()) {
            out.add(new AddressRange(gateway + 1, cidr.lastHost()));
        }
        return out;
    }

    private static List<AddressRange> pools(Cidr cidr, long gateway, List<RawPool> raw) {
        if (raw.isEmpty()) {
            return defaultPools(cidr, gateway);
        }
        if (raw.size() > MAX_POOLS) {
            throw GrpcErrors.invalidArgument("allocation_pools", "at most " + MAX_POOLS + " pools, got " + raw.size());
        }
        List<AddressRange> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "allocation_pools[" + i + "]";
            long start = hostAddress(field + ".start", raw.get(i).start(), cidr);
            long end = hostAddress(field + ".end", raw.get(i).end(), cidr);
            if (start > end) {
                throw GrpcErrors.invalidArgument(field, "start " + Ipv4.format(start) + " is after end "
                        + Ipv4.format(end));
            }
            AddressRange range = new AddressRange(start, end);
            if (range.contains(gateway)) {
                throw GrpcErrors.invalidArgument(field, range + " contains the gateway " + Ipv4.format(gateway));
            }
            for (AddressRange other : out) {
                if (other.overlaps(range)) {
                    throw GrpcErrors.invalidArgument(field, range + " overlaps pool " + other);
                }
            }
            out.add(range);
        }
        out.sort(Comparator.comparingLong(AddressRange::first));
        return out;
    }

    private static long hostAddress(String field, String text, Cidr cidr) {
        long ip = address(field, text);
        cidr.unusableReason(ip, -1).ifPresent(reason -> {
            throw GrpcErrors.invalidArgument(field, reason);
        });
        return ip;
    }

    private static long address(String field, String text) {
        try {
            return Ipv4.parse(text);
        } catch (AddressFormatException e) {
            throw GrpcErrors.invalidArgument(field, e.getMessage());
        }
    }

    private static List<Long> dns(List<String> raw) {
        if (raw.size() > MAX_DNS) {
            throw GrpcErrors.invalidArgument("dns_nameservers", "at most " + MAX_DNS + " servers, got " + raw.size());
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            long ip = address("dns_nameservers[" + i + "]", raw.get(i));
            if (out.contains(ip)) {
                throw GrpcErrors.invalidArgument("dns_nameservers[" + i + "]", Ipv4.format(ip) + " is listed twice");
            }
            out.add(ip);
        }
        return out;
    }

    private static List<HostRoute> routes(Cidr cidr, List<RawRoute> raw) {
        if (raw.size() > MAX_ROUTES) {
            throw GrpcErrors.invalidArgument("host_routes", "at most " + MAX_ROUTES + " routes, got " + raw.size());
        }
        List<HostRoute> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "host_routes[" + i + "]";
            long[] destination;
            try {
                destination = HostRoute.parseDestination(raw.get(i).destination());
            } catch (AddressFormatException e) {
                throw GrpcErrors.invalidArgument(field + ".destination", e.getMessage());
            }
            long nexthop = hostAddress(field + ".nexthop", raw.get(i).nexthop(), cidr);
            HostRoute route = new HostRoute(destination[0], (int) destination[1], nexthop);
            for (HostRoute other : out) {
                if (other.destination().equals(route.destination())) {
                    throw GrpcErrors.invalidArgument(field + ".destination", route.destination() + " is listed twice");
                }
            }
            out.add(route);
        }
        return out;
    }
}

package io.virga.scheduler.weigh;

import static io.virga.scheduler.testing.TestHosts.host;
import static io.virga.scheduler.testing.TestHosts.request;
import static io.virga.scheduler.testing.TestHosts.used;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingTest {
    private static final AllocationRatios RATIOS = new AllocationRatios(4.0, 1.0, 1.0);

    private static List<String> names(List<HostState> hosts) {
        return hosts.stream().map(HostState::name).toList();
    }

    @Test
    void ramWeigherSpreadsMostFreeRamFirst() {
        Ranking ranking = new Ranking(List.of(new RamWeigher(RATIOS)));
        List<HostState> hosts = List.of(
                used(host("a", 8, 16384, 100), 0, 12288, 0),
                host("b", 8, 8192, 100),
                used(host("c", 8, 32768, 100), 0, 4096, 0));
        assertEquals(List.of("c", "b", "a"), names(ranking.rank(hosts, request(1, 512, 1))));
    }

    @Test
    void negativeMultiplierStacksOnTheFullestHost() {
        Ranking ranking = new Ranking(List.of(new RamWeigher(RATIOS, -1.0)));
        List<HostState> hosts = List.of(host("a", 8, 4096, 100), host("b", 8, 8192, 100));
        assertEquals(List.of("a", "b"), names(ranking.rank(hosts, request(1, 512, 1))));
    }

    @Test
    void equalWeightsAreOrderedByNameWhateverTheInputOrder() {
        Ranking ranking = new Ranking(List.of(new RamWeigher(RATIOS)));
        List<HostState> hosts = List.of(host("host-3", 8, 8192, 1), host("host-1", 8, 8192, 1),
                host("host-2", 8, 8192, 1));
        assertEquals(List.of("host-1", "host-2", "host-3"), names(ranking.rank(hosts, request(1, 512, 1))));
    }

    @Test
    void weighersAddUpAfterNormalisation() {
        HostWeigher preferB = new HostWeigher() {
            @Override
            public double weigh(HostState host, io.virga.scheduler.filter.PlacementRequest request) {
                return host.name().equals("b") ? 1 : 0;
            }

            @Override
            public double multiplier() {
                return 2.0;
            }
        };
        Ranking ranking = new Ranking(List.of(new RamWeigher(RATIOS), preferB));
        // a has far more RAM (normalised 1.0) but b's other preference weighs 2.0
        List<HostState> hosts = List.of(host("a", 8, 1_000_000, 1), host("b", 8, 1024, 1));
        assertEquals(List.of("b", "a"), names(ranking.rank(hosts, request(1, 512, 1))));
    }
}

package io.virga.scheduler.select;

import static io.virga.scheduler.testing.TestHosts.NOW;
import static io.virga.scheduler.testing.TestHosts.disabled;
import static io.virga.scheduler.testing.TestHosts.excluding;
import static io.virga.scheduler.testing.TestHosts.heartbeat;
import static io.virga.scheduler.testing.TestHosts.host;
import static io.virga.scheduler.testing.TestHosts.request;
import static io.virga.scheduler.testing.TestHosts.traits;
import static io.virga.scheduler.testing.TestHosts.typed;
import static io.virga.scheduler.testing.TestHosts.used;
import static io.virga.scheduler.testing.TestHosts.withTraits;
import static io.virga.scheduler.testing.TestHosts.withType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.virga.scheduler.filter.Filters;
import io.virga.scheduler.filter.PlacementRequest;
import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import io.virga.scheduler.weigh.Ranking;
import io.virga.scheduler.weigh.RamWeigher;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorTest {
    private static final AllocationRatios RATIOS = new AllocationRatios(4.0, 1.0, 1.0);
    private static final Selector SELECTOR = new Selector(
            Filters.standard(RATIOS, Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC)),
            new Ranking(List.of(new RamWeigher(RATIOS))));

    private static final HostState H1 = used(host("host-1", 8, 16384, 200), 2, 8192, 50);
    private static final HostState H2 = host("host-2", 4, 16384, 100);

    static Stream<Arguments> unschedulable() {
        PlacementRequest small = request(1, 512, 1);
        return Stream.of(
                Arguments.of("RAM too big", List.of(H1, H2), request(1, 65536, 1), "RamFilter",
                        "no host has 64 GiB free RAM (most free: 16 GiB on host-2)"),
                Arguments.of("too many vCPUs", List.of(H1, H2), request(64, 512, 1), "ComputeFilter",
                        "no host has 64 free vCPUs (most free: 30 vCPUs on host-1)"),
                Arguments.of("disk too big", List.of(H1, H2), request(1, 512, 500), "DiskFilter",
                        "no host has 500 GB free disk (most free: 150 GB on host-1)"),
                Arguments.of("hypervisor type", List.of(H1, typed(H2, "runc")), withType(small, "qemu"),
                        "HypervisorTypeFilter", "no host runs hypervisor type qemu (available: runc, sim)"),
                Arguments.of("traits", List.of(traits(H1, "SSD"), H2), withTraits(small, "CUSTOM_GPU"),
                        "TraitsFilter", "no host has the required traits CUSTOM_GPU (TraitsFilter rejected 2 hosts: missing CUSTOM_GPU on 2 hosts)"),
                Arguments.of("all hosts excluded", List.of(H1, H2), excluding(small, H1.id(), H2.id()),
                        "ExcludedHostsFilter",
                        "no host left to try: all 2 remaining hosts are excluded by the request (already failed it)"),
                Arguments.of("no hosts up", List.of(heartbeat(H1, NOW.minusSeconds(120)),
                        heartbeat(H2, NOW.minusSeconds(31))), small, "LivenessFilter",
                        "no compute hosts are up (2 hosts without a heartbeat within 30s)"),
                Arguments.of("only disabled hosts up", List.of(disabled(H1), heartbeat(H2, NOW.minusSeconds(99))),
                        small, "EnabledFilter", "no enabled compute hosts are up (1 host disabled or in maintenance)"),
                Arguments.of("no hosts at all", List.of(), small, "none",
                        "no compute hosts are up (no host has reported yet)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unschedulable")
    void unschedulableNamesTheBindingConstraint(String scenario, List<HostState> hosts, PlacementRequest request,
                                                 String binding, String message) {
        Selection.Unschedulable u = assertInstanceOf(Selection.Unschedulable.class, SELECTOR.select(hosts, request));
        assertEquals(message, u.message());
        assertEquals(binding, u.bindingFilter());
        assertEquals(hosts.size(), u.hostsConsidered());
        assertEquals(hosts.size(), u.rejections().stream().mapToInt(Selection.Rejection::hostsRejected).sum());
    }

    @Test
    void eachHostCountsAgainstTheFirstFilterThatRejectsIt() {
        HostState down = heartbeat(host("down", 64, 1 << 20, 1000), NOW.minusSeconds(300));
        HostState wrongType = typed(host("qemu-1", 64, 1 << 20, 1000), "qemu");
        HostState small = host("small", 1, 1024, 10);
        Selection.Unschedulable u = assertInstanceOf(Selection.Unschedulable.class,
                SELECTOR.select(List.of(down, wrongType, small, H2), withType(request(2, 32768, 1), "sim")));
        assertEquals(List.of(
                new Selection.Rejection("LivenessFilter", 1, "down: no heartbeat within 30s"),
                new Selection.Rejection("HypervisorTypeFilter", 1, "hypervisor type is not sim"),
                new Selection.Rejection("RamFilter", 2, "needs 32768 MB RAM, most free is 16384 MB")),
                u.rejections());
        assertEquals("no host has 32 GiB free RAM (most free: 16 GiB on host-2)", u.message());
    }

    @Test
    void fitsListsEveryFittingHostBestFirst() {
        HostState big = host("big", 16, 65536, 500);
        Selection.Fits fits = assertInstanceOf(Selection.Fits.class,
                SELECTOR.select(List.of(H1, H2, big, disabled(host("off", 64, 1 << 20, 1000))), request(1, 4096, 10)));
        assertEquals(List.of("big", "host-2", "host-1"), fits.hosts().stream().map(HostState::name).toList());
    }
}

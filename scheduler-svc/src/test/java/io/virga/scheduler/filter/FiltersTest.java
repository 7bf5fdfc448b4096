package io.virga.scheduler.filter;

import static io.virga.scheduler.testing.TestHosts.NOW;
import static io.virga.scheduler.testing.TestHosts.disabled;
import static io.virga.scheduler.testing.TestHosts.ratio;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.scheduler.host.AllocationRatios;
import io.virga.scheduler.host.HostState;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FiltersTest {
    private static final AllocationRatios DEFAULT = new AllocationRatios(4.0, 1.0, 1.0);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final HostState BASE = host("host-1", 4, 8192, 100);

    static Stream<Arguments> cases() {
        return Stream.of(
                // filter, host, request, passes
                Arguments.of("live host", new LivenessFilter(Duration.ofSeconds(30), CLOCK), BASE,
                        request(1, 512, 1), true),
                Arguments.of("heartbeat 29s old", new LivenessFilter(Duration.ofSeconds(30), CLOCK),
                        heartbeat(BASE, NOW.minusSeconds(29)), request(1, 512, 1), true),
                Arguments.of("heartbeat exactly timeout old", new LivenessFilter(Duration.ofSeconds(30), CLOCK),
                        heartbeat(BASE, NOW.minusSeconds(30)), request(1, 512, 1), false),
                Arguments.of("stale heartbeat", new LivenessFilter(Duration.ofSeconds(30), CLOCK),
                        heartbeat(BASE, NOW.minusSeconds(300)), request(1, 512, 1), false),
                Arguments.of("enabled", new EnabledFilter(), BASE, request(1, 512, 1), true),
                Arguments.of("disabled", new EnabledFilter(), disabled(BASE), request(1, 512, 1), false),
                Arguments.of("not excluded", new ExcludedHostsFilter(), BASE,
                        excluding(request(1, 512, 1), "h-other"), true),
                Arguments.of("excluded", new ExcludedHostsFilter(), BASE,
                        excluding(request(1, 512, 1), "h-host-1"), false),
                Arguments.of("any type", new HypervisorTypeFilter(), typed(BASE, "qemu"), request(1, 512, 1), true),
                Arguments.of("same type", new HypervisorTypeFilter(), typed(BASE, "qemu"),
                        withType(request(1, 512, 1), "qemu"), true),
                Arguments.of("other type", new HypervisorTypeFilter(), typed(BASE, "runc"),
                        withType(request(1, 512, 1), "qemu"), false),
                Arguments.of("no traits required", new TraitsFilter(), BASE, request(1, 512, 1), true),
                Arguments.of("traits present", new TraitsFilter(), traits(BASE, "GPU", "SSD", "X"),
                        withTraits(request(1, 512, 1), "GPU", "SSD"), true),
                Arguments.of("trait missing", new TraitsFilter(), traits(BASE, "GPU"),
                        withTraits(request(1, 512, 1), "GPU", "SSD"), false),
                Arguments.of("vcpus overcommitted 4x fit", new ComputeFilter(DEFAULT), used(BASE, 14, 0, 0),
                        request(2, 512, 1), true),
                Arguments.of("vcpus beyond 4x", new ComputeFilter(DEFAULT), used(BASE, 14, 0, 0),
                        request(3, 512, 1), false),
                Arguments.of("vcpus ratio 1.0", new ComputeFilter(new AllocationRatios(1.0, 1.0, 1.0)), ratio(BASE, "VCPU", 1.0),
                        request(5, 512, 1), false),
                Arguments.of("ram exactly fits", new RamFilter(DEFAULT), used(BASE, 0, 4096, 0),
                        request(1, 4096, 1), true),
                Arguments.of("ram one MB too much", new RamFilter(DEFAULT), used(BASE, 0, 4096, 0),
                        request(1, 4097, 1), false),
                Arguments.of("ram ratio 1.5 floors", new RamFilter(new AllocationRatios(4.0, 1.5, 1.0)),
                        ratio(host("odd", 1, 1001, 1), "MEMORY_MB", 1.5), request(1, 1501, 0), true),
                Arguments.of("ram ratio 1.5 floors, one more", new RamFilter(new AllocationRatios(4.0, 1.5, 1.0)),
                        ratio(host("odd", 1, 1001, 1), "MEMORY_MB", 1.5), request(1, 1502, 0), false),
                Arguments.of("disk fits", new DiskFilter(DEFAULT), used(BASE, 0, 0, 60), request(1, 512, 40), true),
                Arguments.of("disk full", new DiskFilter(DEFAULT), used(BASE, 0, 0, 60), request(1, 512, 41), false),
                Arguments.of("totals below usage: nothing fits", new DiskFilter(DEFAULT), used(BASE, 0, 0, 150),
                        request(1, 512, 0), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filterDecides(String scenario, HostFilter filter, HostState host, PlacementRequest request, boolean passes) {
        FilterResult result = filter.test(host, request);
        assertEquals(passes, result.passed(), scenario + ": " + result);
        if (!passes) {
            assertTrue(!((FilterResult.Reject) result).reason().isBlank());
        }
    }

    @Test
    void ramFilterExplainsWithTheRoomiestRejectedHost() {
        RamFilter filter = new RamFilter(DEFAULT);
        List<HostState> rejected = List.of(
                used(host("host-1", 8, 16384, 100), 0, 8192, 0),
                host("host-2", 8, 16384, 100),
                host("host-3", 8, 4096, 100));
        PlacementRequest req = request(1, 65536, 1);
        assertEquals("no host has 64 GiB free RAM (most free: 16 GiB on host-2)", filter.headline(rejected, req));
        assertEquals("needs 65536 MB RAM, most free is 16384 MB", filter.reason(rejected, req));
    }

    @Test
    void computeFilterHeadlineCountsOvercommittedVcpus() {
        ComputeFilter filter = new ComputeFilter(DEFAULT);
        PlacementRequest req = request(32, 512, 1);
        assertEquals("no host has 32 free vCPUs (most free: 16 vCPUs on host-1)",
                filter.headline(List.of(BASE), req));
    }

    @Test
    void traitsFilterNamesWhatIsMissing() {
        TraitsFilter filter = new TraitsFilter();
        PlacementRequest req = withTraits(request(1, 512, 1), "CUSTOM_GPU", "SSD");
        assertEquals("missing CUSTOM_GPU on 2 hosts, SSD on 1 host",
                filter.reason(List.of(traits(BASE, "SSD"), BASE), req));
    }

    @Test
    void aContainerFlavorNeverLandsOnAVmOnlyHostAndSaysWhy() {
        TraitsFilter filter = new TraitsFilter();
        HostState qemu = traits(BASE, "COMPUTE_QEMU", "COMPUTE_GUEST_VM", "VIRT_MODE_FULL", "VIRT_MODE_PARA");
        HostState runc = traits(BASE, "COMPUTE_RUNC", "COMPUTE_GUEST_CONTAINER", "VIRT_MODE_FULL");
        PlacementRequest container = withTraits(request(1, 512, 1), "COMPUTE_GUEST_CONTAINER", "VIRT_MODE_FULL");
        PlacementRequest vm = withTraits(request(1, 512, 1), "COMPUTE_GUEST_VM", "VIRT_MODE_PARA");
        assertFalse(filter.test(qemu, container).passed());
        assertTrue(filter.test(runc, container).passed());
        assertTrue(filter.test(qemu, vm).passed());
        assertFalse(filter.test(runc, vm).passed());
        assertEquals("no host has the required traits COMPUTE_GUEST_CONTAINER, VIRT_MODE_FULL (TraitsFilter rejected "
                + "1 host: missing COMPUTE_GUEST_CONTAINER on 1 host)", filter.headline(List.of(qemu), container));
    }
}

package io.virga.hypervisor.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.hypervisor.AttachmentType;
import io.virga.hypervisor.ContainerMode;
import io.virga.hypervisor.GuestSpec;
import io.virga.hypervisor.HostAttachment;
import io.virga.hypervisor.PowerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * veth NICs: two containers on one Linux bridge that lives in a network namespace made by the test (never
 * the host's own), with the spec's MACs and addresses, ping each other; destroy removes the host devices.
 */
class RuncNetworkTest extends RuncFixture {
    private String bridgeNs;

    @BeforeEach
    void makeBridge() {
        bridgeNs = "vt-" + GuestNetwork.shortHash(newId("ns"), 10);
        Proc.check(Duration.ofSeconds(30), "netns", List.of("ip", "netns", "add", bridgeNs));
        Proc.check(Duration.ofSeconds(30), "bridge", List.of("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge"));
        Proc.check(Duration.ofSeconds(30), "bridge up", List.of("ip", "-n", bridgeNs, "link", "set", "br0", "up"));
    }

    @AfterEach
    void removeBridge() {
        if (bridgeNs != null) {
            Proc.run(Duration.ofSeconds(30), List.of("ip", "netns", "del", bridgeNs));
        }
    }

    private GuestSpec.NetworkInterface nic(String id, String mac, String ip) {
        return new GuestSpec.NetworkInterface("port-" + id, mac, ip, 100,
                new HostAttachment(AttachmentType.VETH, "br0", null, 1400, bridgeNs));
    }

    @Test
    void theProjectsContainerImageReportsReadyWithItsAddressAndStopsOnSigterm() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String id = newId("project");
        d.spawn(container(id, TestImages.projectRootfsTar(), ContainerMode.SYSTEM, List.of())
                .addInterface(nic(id, "02:42:0a:4d:00:09", "10.77.0.9")).build());
        awaitLog(state, id, "VIRGA-READY instance=" + id + " ip=10.77.0.9 kind=container");
        assertEquals(PowerState.SHUTDOWN, d.shutdown(id, Duration.ofSeconds(20)).state());
        awaitLog(state, id, "VIRGA-SHUTDOWN instance=" + id);
    }

    @Test
    void twoContainersOnOneBridgePingEachOther() throws Exception {
        Path state = tmp.resolve("s");
        RuncHypervisor d = driver(state);
        String server = newId("srv");
        String client = newId("cli");
        GuestSpec serverSpec = busybox(server, ContainerMode.SYSTEM)
                .addInterface(nic(server, "02:42:0a:4d:00:02", "10.77.0.2")).build();
        d.spawn(serverSpec);
        String script = "ip -o link show eth0; ip -o addr show eth0; ping -c 2 -W 5 10.77.0.2 && echo PING-OK";
        d.spawn(busybox(client, ContainerMode.APP, "/bin/sh", "-c", script)
                .addInterface(nic(client, "02:42:0a:4d:00:03", "10.77.0.3")).build());
        await("the client to finish", () -> d.status(client).orElseThrow().state() != PowerState.RUNNING);
        String log = log(state, client);
        assertEquals(PowerState.SHUTDOWN, d.status(client).orElseThrow().state(), log);
        assertTrue(log.contains("PING-OK"), log);
        assertTrue(log.contains("02:42:0a:4d:00:03"), log);
        assertTrue(log.contains("mtu 1400"), log);
        assertTrue(log.contains("10.77.0.3/24"), log);

        String hostEnd = GuestNetwork.hostDevice(serverSpec.interfaces().get(0));
        String links = Proc.check(Duration.ofSeconds(30), "links", List.of("ip", "-n", bridgeNs, "-o", "link", "show"));
        assertTrue(links.contains(hostEnd + "@") && links.contains("master br0"), links);
        assertTrue(d.destroy(server));
        String after = Proc.check(Duration.ofSeconds(30), "links", List.of("ip", "-n", bridgeNs, "-o", "link", "show"));
        assertFalse(after.contains(hostEnd), after);
        assertFalse(Files.exists(Path.of(GuestNetwork.namespacePath(server))));
    }
}

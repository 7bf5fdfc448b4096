package io.virga.gateway.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParserTest {

    static final String VALID = """
            variables:
              flavor: c1.small
              image: {default: virga-busybox, description: the boot image}
            resources:
              network:
                web: {name: web}
              subnet:
                web-v4:
                  network_id: ${network.web.id}
                  cidr: 10.0.0.0/24
              instance:
                web-1:
                  name: web-1
                  flavor: ${var.flavor}
                  image: ${var.image}
                  networks: [{network: "${network.web.id}"}]
            outputs:
              ip: ${instance.web-1.addresses[0].ip}
            """;

    @Test
    void aValidSpecGivesItsResourcesInDocumentOrderAndItsDependencyOrder() {
        Spec spec = SpecParser.parse(VALID);
        assertEquals(List.of("network.web", "subnet.web-v4", "instance.web-1"),
                spec.resources().stream().map(Spec.Decl::address).toList());
        assertEquals(List.of("network.web", "subnet.web-v4", "instance.web-1"),
                SpecValidator.graph(spec).order());
        assertEquals(java.util.Set.of("network.web"),
                SpecValidator.dependencies(spec, spec.decl("instance.web-1").orElseThrow()));
        assertEquals("c1.small", spec.variables().get("flavor").defaultValue().asText());
    }

    @Test
    void theSameSpecAsJsonIsRead() {
        Spec spec = SpecParser.parse("""
                {"resources": {"network": {"web": {"name": "web"}},
                  "subnet": {"a": {"network_id": "${network.web.id}", "cidr": "10.0.0.0/24"}}}}
                """);
        assertEquals(2, spec.resources().size());
    }

    @Test
    void everyFaultIsReportedWithItsLineAndPath() {
        String text = """
                resources:
                  network:
                    web: {name: web, colour: blue}
                  bucket:
                    b: {name: x}
                  subnet:
                    s1:
                      network_id: ${network.nope.id}
                      cidr: 10.0.0.0/24
                  volume:
                    v: {name: v, size_gb: big}
                  instance:
                    a:
                      name: a
                      flavor: f
                      image: ${instance.b.id}
                      networks: [{network: "${network.web.id}"}]
                    b:
                      name: b
                      flavor: f
                      image: ${instance.a.id}
                      networks: [{network: "${network.web.vlan}"}]
                """;
        SpecInvalid e = assertThrows(SpecInvalid.class, () -> SpecParser.parse(text));
        String got = e.errors().stream().map(x -> x.line() + " " + x.path() + ": " + x.message())
                .collect(Collectors.joining("\n"));
        assertContains(got, "4 resources.bucket: unknown kind bucket");
        // the kind is refused in the shape pass; the attribute pass runs once the shape is right
        SpecInvalid e2 = assertThrows(SpecInvalid.class, () -> SpecParser.parse(text.replace("""
                  bucket:
                    b: {name: x}
                """, "")));
        String got2 = e2.errors().stream().map(x -> x.line() + " " + x.path() + ": " + x.message())
                .collect(Collectors.joining("\n"));
        assertContains(got2, "3 resources.network.web.colour: unknown attribute colour of kind network");
        assertContains(got2, "6 resources.subnet.s1.network_id: dangling reference ${network.nope.id}");
        assertContains(got2, "9 resources.volume.v.size_gb: must be a whole number");
        assertContains(got2, "20 resources.instance.b.networks[0].network: unknown attribute vlan of kind network");
        assertContains(got2, "11 resources.instance.a: circular reference: instance.a -> instance.b -> instance.a");
        assertEquals(5, e2.errors().size(), got2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "resources: {network: {web: {}}}|1|resources.network.web|attribute name is required",
        "resources: {network: {web: {name: 5}}}|1|resources.network.web.name|must be a string",
        "resources: {keypair: {k: {name: k}}}|1|resources.keypair|not supported by stacks yet",
        "resources: {network: {web: {name: '${var.nope}'}}}|1|resources.network.web.name|unknown variable nope",
        "resources: {network: {web: {name: '${network}'}}}|1|resources.network.web.name|cannot read reference",
        "resources: {network: {web: {name: web}}}\\nextra: 1|2|extra|unknown key",
        "resources: {network: {web: {name: web}, web: {name: x}}}|1|resources.network.web|duplicate key",
        "resources: [1, 2|1||not valid YAML",
        "resources: {instance: {i: {name: i, flavor: f, image: g, networks: [], status: PAUSED}}}|1"
                + "|resources.instance.i.status|must be ACTIVE or STOPPED",
    })
    void oneFaultEach(String text, int line, String path, String message) {
        SpecInvalid e = assertThrows(SpecInvalid.class, () -> SpecParser.parse(text.replace("\\n", "\n")));
        SpecError first = e.errors().get(0);
        assertEquals(line, first.line(), first.toString());
        assertEquals(path == null ? "" : path, first.path(), first.toString());
        assertTrue(first.message().contains(message), first.toString());
    }

    @Test
    void theProblemCarriesLinesAndPaths() {
        SpecInvalid e = assertThrows(SpecInvalid.class, () -> SpecParser.parse("resources:\n  network:\n    w: {}\n"));
        var problem = e.problem();
        assertEquals(422, problem.status());
        assertEquals("resources.network.w", problem.errors().get(0).field());
        assertEquals(List.of(java.util.Map.of("line", 3, "path", "resources.network.w", "message",
                "attribute name is required")), problem.extensions().get("spec_errors"));
    }

    private static void assertContains(String all, String expected) {
        assertTrue(all.contains(expected), "expected «" + expected + "» in:\n" + all);
    }
}

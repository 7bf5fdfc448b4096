package io.virga.gateway.proof;

import static io.virga.gateway.TestApi.as;

import io.virga.gateway.TestApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A project with one of each kind of resource, and a fingerprint of everything it holds. */
final class ProjectState {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+";
    /** What is read for the fingerprint, as project A's admin. */
    static final List<String> LISTS = List.of("/v1/keypairs", "/v1/networks", "/v1/volumes", "/v1/security-groups",
            "/v1/images", "/v1/instances", "/v1/server-groups", "/v1/ports", "/v1/routers", "/v1/floating-ips");

    private ProjectState() {
    }

    /** Ids of the fixture's resources by path-parameter position, used to fill path templates. */
    record Fixture(String projectId, Map<String, String> idsByCollection, String tokenId, String keyName) {
        String fill(String template) {
            String[] parts = template.split("/");
            StringBuilder out = new StringBuilder();
            String collection = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                String value = p;
                if (p.startsWith("{")) {
                    value = switch (p) {
                        case "{projectId}" -> projectId;
                        case "{tokenId}" -> tokenId;
                        case "{name}" -> keyName;
                        case "{volume}" -> idsByCollection.getOrDefault("volumes", "v-000000000000");
                        case "{subnet}" -> idsByCollection.getOrDefault("subnets", "s-000000000000");
                        case "{rule}" -> idsByCollection.getOrDefault("rules", "r-000000000000");
                        default -> collection != null && idsByCollection.containsKey(collection)
                                ? idsByCollection.get(collection) : "x-000000000000";
                    };
                    if (collection != null && collection.equals("projects")) {
                        value = projectId;
                    }
                } else {
                    collection = p;
                }
                out.append('/').append(value);
            }
            return out.toString();
        }
    }

    /** Gives project {@code a} a key pair, a network with a subnet, a volume and a security group with a rule. */
    static Fixture populate(TestApi.TestProject a) {
        Map<String, String> ids = new LinkedHashMap<>();
        as(a.member()).body(Map.of("name", "k", "public_key", KEY)).post("/v1/keypairs").then().statusCode(201);
        String net = as(a.member()).body(Map.of("name", "n")).post("/v1/networks").then().statusCode(201)
                .extract().path("id");
        ids.put("networks", net);
        String subnet = as(a.member()).body(Map.of("cidr", "10.9.0.0/24")).post("/v1/networks/" + net + "/subnets")
                .then().extract().path("id");
        if (subnet != null) {
            ids.put("subnets", subnet);
        }
        String volume = as(a.member()).body(Map.of("name", "vol", "size_gb", 1)).post("/v1/volumes").then()
                .extract().path("id");
        if (volume != null) {
            ids.put("volumes", volume);
        }
        String sg = as(a.member()).body(Map.of("name", "web")).post("/v1/security-groups").then().extract().path("id");
        if (sg != null) {
            ids.put("security-groups", sg);
        }
        String tokenId = as(a.admin()).get("/v1/projects/" + a.id() + "/tokens").then().statusCode(200).extract()
                .path("items[0].id");
        ids.put("projects", a.id());
        return new Fixture(a.id(), ids, tokenId, "k");
    }

    /** Everything A holds, as A's admin reads it (volatile token usage times left out). */
    static String of(TestApi.TestProject a) {
        StringBuilder s = new StringBuilder();
        for (String list : LISTS) {
            s.append(list).append(' ').append(as(a.admin()).get(list + "?limit=1000").then().extract().asString())
                    .append('\n');
        }
        s.append(as(a.admin()).get("/v1/projects/" + a.id()).then().extract().asString()).append('\n');
        s.append(as(a.admin()).get("/v1/projects/" + a.id() + "/quotas").then().extract().asString()).append('\n');
        s.append(as(a.admin()).get("/v1/projects/" + a.id() + "/tokens?limit=1000").then().extract().asString()
                .replaceAll(",?\"last_used_at\":(null|\"[^\"]*\")", ""));
        return s.toString();
    }
}

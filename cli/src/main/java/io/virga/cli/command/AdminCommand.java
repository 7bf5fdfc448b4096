package io.virga.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virga.cli.VirgaCli;
import io.virga.cli.http.ApiClient;
import io.virga.cli.output.Column;
import io.virga.cli.output.Format;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code virga admin audit [--repair]}: operator tools (cloud admin). */
@Command(name = "admin", description = "Operator tools (cloud admin)", subcommands = {AdminCommand.Audit.class})
public final class AdminCommand {
    static final List<Column> COLUMNS = List.of(Column.of("AUDIT", "audit"), Column.of("KIND", "kind"),
            Column.of("RESOURCE", "resource"), Column.of("INSTANCE", "instance"), Column.of("WHERE", "where"),
            Column.of("REPAIRED", "repaired"), Column.of("DETAIL", "detail"));

    /**
     * Runs the consistency audit (instances against ports, volumes and the guests on every host) and the
     * placement audit (scheduler claims against instances); prints every finding, one table. Exit 0 whatever
     * was found: the findings are the answer.
     */
    @Command(name = "audit", description = "Compare every service's records with each other and with the hosts;"
            + " --repair fixes what is safe (orphan ports, guests and claims)")
    static final class Audit extends ApiCommand {
        @Option(names = "--repair", description = "also fix what is safe to fix")
        boolean repair;

        @Override
        protected int run(ApiClient api) {
            String query = repair ? "?repair=true" : "";
            JsonNode consistency = api.post("/v1/admin/consistency-audit" + query, null).body();
            JsonNode placement = api.post("/v1/admin/placement/audit" + query, null).body();
            if (render().format() != Format.TABLE) {
                ObjectNode both = VirgaCli.JSON.createObjectNode();
                both.set("consistency", consistency);
                both.set("placement", placement);
                render().structured(both);
                return 0;
            }
            ArrayNode rows = findings(consistency, placement);
            render().list(rows, COLUMNS);
            err().printf("%d finding(s): consistency %s; placement %d claim(s) checked%n", rows.size(),
                    consistency.path("checked"), placement.path("claims_checked").asInt());
            return 0;
        }
    }

    /** Both audits' findings as rows of one table. */
    static ArrayNode findings(JsonNode consistency, JsonNode placement) {
        ArrayNode rows = VirgaCli.JSON.createArrayNode();
        for (JsonNode f : consistency.path("findings")) {
            rows.add(row("consistency", f.path("kind").asText().toLowerCase(java.util.Locale.ROOT),
                    f.path("resource_id").asText(null), f.path("instance_id").asText(null),
                    f.hasNonNull("host") ? f.path("host").asText() : f.path("project_id").asText(null),
                    f.path("repaired").asBoolean(), f.path("detail").asText()));
        }
        for (String list : List.of("orphans", "mismatched")) {
            for (JsonNode f : placement.path(list)) {
                rows.add(row("placement", list.equals("orphans") ? "orphan_claim" : "mismatched_claim",
                        f.path("consumer_id").asText(null), f.path("consumer_id").asText(null),
                        f.path("host_id").asText(null), f.path("released").asBoolean(), f.path("reason").asText()));
            }
        }
        for (JsonNode m : placement.path("missing_claims")) {
            rows.add(row("placement", "missing_claim", m.path("instance_id").asText(null),
                    m.path("instance_id").asText(null), m.path("host_id").asText(null), false,
                    m.path("instance_id").asText() + " is " + m.path("status").asText() + " without a claim"));
        }
        return rows;
    }

    private static ObjectNode row(String audit, String kind, String resource, String instance, String where,
                                  boolean repaired, String detail) {
        ObjectNode r = VirgaCli.JSON.createObjectNode();
        r.put("audit", audit);
        r.put("kind", kind);
        r.put("resource", resource);
        r.put("instance", instance);
        r.put("where", where);
        r.put("repaired", repaired ? "yes" : "no");
        r.put("detail", detail);
        return r;
    }
}

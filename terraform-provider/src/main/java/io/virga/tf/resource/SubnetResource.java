package io.virga.tf.resource;

import static io.virga.tf.resource.Values.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.virga.tf.api.VirgaClient;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code virga_subnet}: {@code POST /v1/networks/{id}/subnets}, read through the network,
 * {@code DELETE /v1/networks/{id}/subnets/{subnet}}; no update in the API, so changes replace.
 * Import id: {@code <network id>/<subnet id>}.
 */
public final class SubnetResource implements Resource {
    static final Pattern CIDR = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}/(3[0-2]|[12]?\\d)");
    static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final ResourceSchema SCHEMA = new ResourceSchema("An IPv4 subnet of a network.", List.of(
            Attr.computed("id", CtyType.STRING, "The subnet id (s-…)."),
            Attr.required("network_id", CtyType.STRING, "The network's id.").forcesNew(),
            Attr.optionalComputed("name", CtyType.STRING, "A name.").forcesNew(),
            Attr.required("cidr", CtyType.STRING, "An IPv4 CIDR such as 10.0.0.0/24.").forcesNew(),
            Attr.optionalComputed("gateway_ip", CtyType.STRING, "The gateway address (default: the first)")
                    .forcesNew(),
            Attr.optionalComputed("dns_nameservers", CtyType.list(CtyType.STRING), "DNS servers for DHCP.")
                    .forcesNew()));

    @Override
    public String typeName() {
        return "virga_subnet";
    }

    @Override
    public ResourceSchema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(Map<String, Object> config, Problems problems) {
        String cidr = str(config, "cidr");
        if (cidr != null && !CIDR.matcher(cidr).matches()) {
            problems.add("cidr", "must be an IPv4 CIDR such as 10.0.0.0/24");
        }
        String gateway = str(config, "gateway_ip");
        if (gateway != null && !IPV4.matcher(gateway).matches()) {
            problems.add("gateway_ip", "must be an IPv4 address");
        }
        List<String> dns = Values.strings(config, "dns_nameservers");
        if (dns != null && dns.stream().anyMatch(d -> d != null && !IPV4.matcher(d).matches())) {
            problems.add("dns_nameservers", "every entry must be an IPv4 address");
        }
    }

    @Override
    public Map<String, Object> create(VirgaClient api, Map<String, Object> planned) {
        Map<String, Object> body = Values.obj();
        body.put("cidr", str(planned, "cidr"));
        if (str(planned, "name") != null) {
            body.put("name", str(planned, "name"));
        }
        if (str(planned, "gateway_ip") != null) {
            body.put("gateway_ip", str(planned, "gateway_ip"));
        }
        if (Values.strings(planned, "dns_nameservers") != null) {
            body.put("dns_nameservers", Values.strings(planned, "dns_nameservers"));
        }
        return state(api.post("/v1/networks/" + VirgaClient.enc(str(planned, "network_id")) + "/subnets", body));
    }

    @Override
    public Map<String, Object> read(VirgaClient api, Map<String, Object> state) {
        JsonNode network = api.find("/v1/networks/" + VirgaClient.enc(str(state, "network_id")));
        if (network == null) {
            return null;
        }
        for (JsonNode s : network.path("subnets")) {
            if (s.path("id").asText().equals(str(state, "id"))) {
                return state(s);
            }
        }
        return null;
    }

    @Override
    public void delete(VirgaClient api, Map<String, Object> state) {
        api.delete("/v1/networks/" + VirgaClient.enc(str(state, "network_id")) + "/subnets/"
                + VirgaClient.enc(str(state, "id")));
    }

    @Override
    public Map<String, Object> importById(VirgaClient api, String id) {
        String[] parts = Values.pair(id);
        if (parts == null) {
            throw new IllegalArgumentException("import a subnet as <network id>/<subnet id>, e.g. n-1/s-2");
        }
        return read(api, Map.of("network_id", parts[0], "id", parts[1]));
    }

    static Map<String, Object> state(JsonNode s) {
        Map<String, Object> out = Values.obj();
        out.put("id", s.path("id").asText());
        out.put("network_id", s.path("network_id").asText());
        out.put("name", s.path("name").asText(""));
        out.put("cidr", s.path("cidr").asText());
        out.put("gateway_ip", Values.text(s, "gateway_ip"));
        out.put("dns_nameservers", Values.textList(s.path("dns_nameservers")));
        return out;
    }
}

package io.virga.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as compose reads it: YAML with anchors and merge keys, {@code ${VAR:-default}}
 * interpolated with the defaults (what `compose up` uses when the variable is unset).
 */
final class ComposeFile {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::?-([^}]*))?}");

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile parse(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(sb);
        Object doc = new Yaml(new LoaderOptions()).load(sb.toString());
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a compose file is a mapping");
        }
        return new ComposeFile(cast(map));
    }

    /** Service name to its definition, in file order. */
    Map<String, Service> services() {
        Map<String, Service> out = new LinkedHashMap<>();
        cast(root.get("services")).forEach((name, def) -> out.put(name, new Service(name, cast(def))));
        return out;
    }

    /** The named volumes declared at top level. */
    List<String> volumes() {
        Object v = root.get("volumes");
        return v == null ? List.of() : new ArrayList<>(cast(v).keySet());
    }

    /** One compose service. */
    record Service(String name, Map<String, Object> def) {
        String image() {
            return String.valueOf(def.get("image"));
        }

        /** The Virga service module the image runs ({@code .../compute-node:tag}), if it is one. */
        Optional<String> virgaService() {
            for (String s : Repo.SERVICES) {
                if (image().matches(".*/virga/" + s + ":[^/]+")) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        Map<String, String> environment() {
            Object env = def.get("environment");
            Map<String, String> out = new LinkedHashMap<>();
            if (env instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            } else if (env instanceof List<?> l) {
                for (Object o : l) {
                    String s = String.valueOf(o);
                    int eq = s.indexOf('=');
                    out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
                }
            }
            return out;
        }

        /** The health check's command as one string, empty if there is none. */
        String healthcheck() {
            Object hc = def.get("healthcheck");
            if (!(hc instanceof Map<?, ?> m) || m.get("test") == null) {
                return "";
            }
            Object test = m.get("test");
            return test instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
                    : String.valueOf(test);
        }

        /** depends_on: service name to its condition ({@code service_started} for the short form). */
        Map<String, String> dependsOn() {
            Object d = def.get("depends_on");
            Map<String, String> out = new LinkedHashMap<>();
            if (d instanceof List<?> l) {
                l.forEach(x -> out.put(String.valueOf(x), "service_started"));
            } else if (d instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k),
                        v instanceof Map<?, ?> c ? String.valueOf(c.get("condition")) : "service_started"));
            }
            return out;
        }

        List<String> list(String key) {
            Object v = def.get(key);
            return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}

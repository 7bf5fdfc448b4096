package io.virga.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys one service reads, found in its code: its {@code application.properties}
 * (profile-less keys), every {@code @ConfigProperty(name = ...)} and every {@code @ConfigMapping}
 * interface (keys derived from the method names, nested groups and maps) in the service's and the
 * platform module's main sources, plus the Quarkus runtime keys of the extensions it uses (HTTP and
 * gRPC server ports/hosts; the datasource's URL and credentials when it has a database).
 * <p>
 * {@link #readsEnv(String)} answers whether an environment variable maps to one of those keys the
 * way SmallRye Config maps them (upper case, every non-alphanumeric character as {@code _}).
 */
final class ServiceConfigKeys {
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile("(?m)^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
            + "([\\w.]+(?:<[\\w<>, ?.]+>)?)\\s+(\\w+)\\(\\)\\s*;");

    private final String service;
    private final Properties properties;
    /** Key patterns: dotted segments, {@code *} for a map key. */
    private final Set<String> keys = new LinkedHashSet<>();

    private ServiceConfigKeys(String service, Properties properties) {
        this.service = service;
        this.properties = properties;
    }

    /** The keys of the service module {@code service} of {@code root}. */
    static ServiceConfigKeys of(Path root, String service) {
        Path props = root.resolve(service).resolve("src/main/resources/application.properties");
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(props)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + props, e);
        }
        ServiceConfigKeys k = new ServiceConfigKeys(service, p);
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                k.keys.add(key);
            }
        }
        k.keys.addAll(List.of("quarkus.http.port", "quarkus.http.host", "quarkus.grpc.server.port",
                "quarkus.grpc.server.host", "quarkus.log.level"));
        if (p.containsKey("quarkus.datasource.db-kind")) {
            k.keys.addAll(List.of("quarkus.datasource.jdbc.url", "quarkus.datasource.username",
                    "quarkus.datasource.password"));
        }
        k.scan(root.resolve(service).resolve("src/main/java"));
        k.scan(root.resolve("platform/src/main/java"));
        return k;
    }

    String service() {
        return service;
    }

    Set<String> keys() {
        return keys;
    }

    /** The profile-less value in application.properties, if any. */
    Optional<String> property(String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    /** Whether environment variable {@code env} sets a key this service reads. */
    boolean readsEnv(String env) {
        for (String key : keys) {
            if (envPattern(key).matcher(env).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern envPattern(String key) {
        StringBuilder re = new StringBuilder();
        for (String segment : key.split("\\.")) {
            if (re.length() > 0) {
                re.append('_');
            }
            re.append(segment.equals("*") ? "[A-Z0-9_]+" : Pattern.quote(segment.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
        }
        return Pattern.compile(re.toString());
    }

    private void scan(Path sources) {
        if (!Files.isDirectory(sources)) {
            return;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher m = CONFIG_PROPERTY.matcher(text);
                while (m.find()) {
                    keys.add(m.group(1));
                }
                Matcher mapping = CONFIG_MAPPING.matcher(text);
                if (mapping.find()) {
                    keys.addAll(mappingKeys(mapping.group(1), text));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keys of a {@code @ConfigMapping} interface: the first interface in {@code text} is the root. */
    static List<String> mappingKeys(String prefix, String text) {
        Map<String, String> bodies = interfaceBodies(text);
        String rootName = bodies.keySet().iterator().next();
        List<String> out = new ArrayList<>();
        collect(prefix, bodies.get(rootName), bodies, out, 0);
        return out;
    }

    private static void collect(String prefix, String body, Map<String, String> bodies, List<String> out, int depth) {
        Matcher m = METHOD.matcher(body);
        while (m.find()) {
            String type = m.group(1);
            String key = prefix + "." + kebab(m.group(2));
            String inner = type;
            if (type.startsWith("Map<")) {
                key = key + ".*";
                inner = type.substring(type.indexOf(',') + 1, type.lastIndexOf('>')).trim();
            } else if (type.startsWith("Optional<")) {
                inner = type.substring("Optional<".length(), type.length() - 1);
            }
            if (bodies.containsKey(inner) && depth < 4) {
                collect(key, bodies.get(inner), bodies, out, depth + 1);
            } else {
                out.add(key);
            }
        }
    }

    /** Interface name to its body, nested interfaces' text removed from their parent's body. */
    private static Map<String, String> interfaceBodies(String text) {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            int open = m.end() - 1;
            int depth = 0;
            int close = open;
            for (int i = open; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    close = i;
                    break;
                }
            }
            spans.add(new int[] {open + 1, close});
            names.add(m.group(1));
        }
        for (int i = 0; i < spans.size(); i++) {
            int[] own = spans.get(i);
            StringBuilder body = new StringBuilder();
            for (int pos = own[0]; pos < own[1]; pos++) {
                boolean nested = false;
                for (int[] other : spans) {
                    if (other != own && other[0] > own[0] && other[1] < own[1] && pos >= other[0] && pos < other[1]) {
                        nested = true;
                        break;
                    }
                }
                if (!nested) {
                    body.append(text.charAt(pos));
                }
            }
            bodies.put(names.get(i), body.toString());
        }
        return bodies;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}

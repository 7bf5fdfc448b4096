package io.virga.gateway.api;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every REST route the gateway serves: (HTTP method, path template), read once from the JAX-RS resource
 * classes (CDI beans annotated {@link Path}). {@link #allowed} answers which methods a concrete path
 * takes, so that {@code OPTIONS} and a 405's {@code Allow} list exactly the methods that work (HEAD with
 * GET, and OPTIONS, always).
 */
public final class RouteTable {
    /** One served route. */
    public record Route(String method, String template, Pattern pattern) {
    }

    private static volatile List<Route> routes;

    private RouteTable() {
    }

    /** All routes, sorted by template then method. */
    public static List<Route> routes() {
        List<Route> r = routes;
        if (r == null) {
            r = scan();
            routes = r;
        }
        return r;
    }

    /** The methods {@code path} takes (empty when no route matches it). */
    public static Set<String> allowed(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Set<String> out = new TreeSet<>();
        for (Route r : routes()) {
            if (r.pattern().matcher(p).matches()) {
                out.add(r.method());
            }
        }
        if (out.contains("GET")) {
            out.add("HEAD");
        }
        if (!out.isEmpty()) {
            out.add("OPTIONS");
        }
        return out;
    }

    private static List<Route> scan() {
        List<Route> out = new ArrayList<>();
        Set<Class<?>> seen = new java.util.HashSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path base = type.getAnnotation(Path.class);
            if (base == null || !seen.add(type)) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String http = httpMethod(m);
                if (http == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String template = join(base.value(), sub == null ? "" : sub.value());
                out.add(new Route(http, template, compile(template)));
            }
        }
        out.sort((a, b) -> a.template().equals(b.template()) ? a.method().compareTo(b.method())
                : a.template().compareTo(b.template()));
        return Collections.unmodifiableList(out);
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    static String join(String base, String sub) {
        String b = base.startsWith("/") ? base : "/" + base;
        if (b.length() > 1 && b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (sub.isEmpty() || sub.equals("/")) {
            return b;
        }
        return b + (sub.startsWith("/") ? sub : "/" + sub);
    }

    /** A template's regex: {@code {name}} matches one segment, {@code {name: regex}} its regex. */
    static Pattern compile(String template) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch == '{') {
                int depth = 1;
                int j = i + 1;
                while (j < template.length() && depth > 0) {
                    char c = template.charAt(j);
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                    j++;
                }
                String var = template.substring(i + 1, j - 1);
                int colon = var.indexOf(':');
                re.append('(').append(colon < 0 ? "[^/]+" : var.substring(colon + 1).trim()).append(')');
                i = j;
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
                i++;
            }
        }
        return Pattern.compile(re.toString());
    }
}

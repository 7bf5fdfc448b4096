package io.virga.cli.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the CLI talks to and as whom, resolved in this order:
 * <ol>
 *   <li>the {@code --url} / {@code --token} options;</li>
 *   <li>the environment: {@code VIRGA_URL} / {@code VIRGA_TOKEN};</li>
 *   <li>the files of {@code ./virga up}: {@code gatewayUrl} of {@code state.json} and
 *       {@code admin-token}, in {@code $VIRGA_HOME}, else in the first {@code .virga/} found from the
 *       working directory upwards; the URL falls back to {@link #DEFAULT_URL}.</li>
 * </ol>
 *
 * @param url   the API base URL, without a trailing slash
 * @param token the bearer token, or null when none was found (the API will answer 401)
 * @param tokenSource where the token came from, for messages
 */
public record Credentials(String url, String token, String tokenSource) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    private static final Pattern GATEWAY_URL = Pattern.compile("\"gatewayUrl\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * @param urlOption   {@code --url} or null
     * @param tokenOption {@code --token} or null
     * @param env         the environment variables
     * @param cwd         the working directory (where {@code .virga/} is looked for)
     */
    public static Credentials resolve(String urlOption, String tokenOption, Map<String, String> env, Path cwd) {
        Optional<Path> home = virgaHome(env, cwd);
        String url = firstNonBlank(urlOption, env.get("VIRGA_URL"));
        if (url == null) {
            url = home.flatMap(h -> read(h.resolve("state.json")))
                    .map(GATEWAY_URL::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(DEFAULT_URL);
        }
        String token;
        String source;
        if (tokenOption != null && !tokenOption.isBlank()) {
            token = tokenOption.strip();
            source = "--token";
        } else if (env.get("VIRGA_TOKEN") != null && !env.get("VIRGA_TOKEN").isBlank()) {
            token = env.get("VIRGA_TOKEN").strip();
            source = "VIRGA_TOKEN";
        } else {
            Optional<Path> file = home.map(h -> h.resolve("admin-token"));
            token = file.flatMap(Credentials::read).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
            source = file.map(Path::toString).orElse(".virga/admin-token");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return new Credentials(url, token, source);
    }

    private static Optional<Path> virgaHome(Map<String, String> env, Path cwd) {
        String explicit = env.get("VIRGA_HOME");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit));
        }
        for (Path dir = cwd.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".virga");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b != null && !b.isBlank() ? b.strip() : null;
    }
}

package io.virga.gateway.stream;

import io.virga.gateway.error.ApiException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code ?wait=} of a long-poll: {@code 30s}, {@code 500ms}, {@code 1m} or plain seconds, 0 to the max. */
public final class WaitParam {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private WaitParam() {
    }

    /** Null when absent (no wait); the duration otherwise; a 400 naming {@code wait} when malformed or too long. */
    public static Duration parse(String raw, Duration max) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Matcher m = FORM.matcher(raw.trim());
        if (!m.matches()) {
            throw invalid(max);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(max) > 0) {
            throw invalid(max);
        }
        return d;
    }

    private static ApiException invalid(Duration max) {
        return ApiException.badRequest("wait", "must be a duration such as 30s or 500ms, at most "
                + max.toSeconds() + "s");
    }
}

package io.virga.gateway.error;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.CharConversionException;

/**
 * Turns a failure to read a JSON request body into a 400 problem that says what is wrong and where:
 * <ul>
 *   <li>a number too big for its field ({@code "vcpus": 9223372036854775808}): validation problem naming the
 *       field, "is out of range";</li>
 *   <li>bytes that are not UTF-8: malformed-request, "request body is not valid UTF-8 (line L, column C)";</li>
 *   <li>broken JSON syntax: malformed-request, Jackson's reason and "(line L, column C)".</li>
 * </ul>
 * Mapping problems (wrong type, unknown field) keep their own mappers in {@link ProblemMappers}.
 */
public final class JsonProblems {
    private JsonProblems() {
    }

    /** The Jackson (or charset) failure in {@code failure}'s cause chain, or null. */
    public static Throwable jsonCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException || t instanceof CharConversionException) {
                return t;
            }
        }
        return null;
    }

    /** The problem for a stream-level read failure (not a mapping failure). */
    public static ApiException of(Throwable e) {
        if (e instanceof InputCoercionException ice) {
            String field = fieldOf(ice);
            if (field != null) {
                return ApiException.badRequest(field, "is out of range for " + typeName(ice));
            }
            return ApiException.malformed("a number in the request body is out of range" + where(ice.getLocation()));
        }
        if (e instanceof CharConversionException || isUtf8(e)) {
            JsonLocation at = e instanceof JsonProcessingException jpe ? jpe.getLocation() : null;
            return ApiException.malformed("request body is not valid UTF-8" + where(at));
        }
        if (e instanceof JsonProcessingException jpe) {
            return ApiException.malformed("request body is not valid JSON: " + jpe.getOriginalMessage()
                    + where(jpe.getLocation()));
        }
        return ApiException.malformed("request body is not valid JSON");
    }

    private static boolean isUtf8(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("UTF-8") || m.contains("UTF8");
    }

    private static String fieldOf(StreamReadException e) {
        Object p = e.getProcessor();
        if (p instanceof JsonParser parser) {
            try {
                String name = parser.currentName();
                if (name != null) {
                    return name;
                }
            } catch (RuntimeException | java.io.IOException ignored) {
                // fall through: no field known
            }
        }
        return null;
    }

    private static String typeName(InputCoercionException e) {
        Class<?> target = e.getTargetType();
        if (target == Integer.class || target == int.class) {
            return "a 32-bit integer";
        }
        if (target == Long.class || target == long.class) {
            return "a 64-bit integer";
        }
        return "its type";
    }

    static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** True for mapping failures the dedicated mappers explain better. */
    public static boolean isMapping(Throwable e) {
        return e instanceof JsonMappingException;
    }
}

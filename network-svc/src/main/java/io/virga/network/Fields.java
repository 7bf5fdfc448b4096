package io.virga.network;

import io.virga.platform.grpc.GrpcErrors;
import java.util.regex.Pattern;

/**
 * Request field checks shared by the network, subnet and port operations.
 * Each throws INVALID_ARGUMENT {@code "field: message"} on bad input.
 */
public final class Fields {
    /** Names and project/device ids: 1…64 of [A-Za-z0-9._-]. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Idempotency keys: 1…128 visible ASCII characters (no spaces). */
    private static final Pattern REQUEST_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private Fields() {
    }

    /** A resource name: required, 1…64 characters of [A-Za-z0-9._-]. */
    public static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw GrpcErrors.invalidArgument(field, "required");
        }
        if (value.length() > 64) {
            throw GrpcErrors.invalidArgument(field, "at most 64 characters, got " + value.length());
        }
        if (!NAME.matcher(value).matches()) {
            throw GrpcErrors.invalidArgument(field, "only letters, digits, '.', '_' and '-' are allowed");
        }
        return value;
    }

    /** The caller's project: required, same shape as a name. */
    public static String projectId(String value) {
        return name("project_id", value);
    }

    /** The id of the resource addressed: required (an unknown id is NOT_FOUND later). */
    public static String id(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw GrpcErrors.invalidArgument(field, "required");
        }
        return value;
    }

    /** An optional id-like value (empty allowed), otherwise the shape of a name. */
    public static String optionalName(String field, String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return name(field, value);
    }

    /** An idempotency key: required, 1…128 visible ASCII characters. */
    public static String requestId(String value) {
        if (value == null || value.isEmpty()) {
            throw GrpcErrors.invalidArgument("request_id", "required");
        }
        if (!REQUEST_ID.matcher(value).matches()) {
            throw GrpcErrors.invalidArgument("request_id", "1 to 128 visible ASCII characters without spaces");
        }
        return value;
    }
}

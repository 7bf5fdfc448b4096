package io.virga.gateway.auth;

import io.virga.gateway.error.ApiException;
import java.util.Locale;

/** A token's role inside its project. */
public enum Role {
    /** Everything a member can do, plus managing the project's tokens. */
    ADMIN,
    /** Create and delete the project's resources. */
    MEMBER,
    /** Read only. */
    READER;

    /** True for ADMIN and MEMBER. */
    public boolean canWrite() {
        return this != READER;
    }

    /** The lower-case wire name: {@code admin}, {@code member}, {@code reader}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name ({@code "admin"}, {@code "member"}, {@code "reader"}, case-insensitive).
     *
     * @throws ApiException 400 on the field {@code role} for anything else (including null)
     */
    public static Role parse(String value) {
        if (value != null) {
            for (Role r : values()) {
                if (r.wireName().equalsIgnoreCase(value)) {
                    return r;
                }
            }
        }
        throw ApiException.badRequest("role", "must be one of admin, member, reader");
    }
}

package io.virga.gateway.stack;

/**
 * One fault of a stack spec: where it is ({@code line}, 1-based, 0 when the spec
 * came without text positions; {@code path}, e.g. {@code resources.instance.web.flavor})
 * and what is wrong.
 */
public record SpecError(int line, String path, String message) {
}

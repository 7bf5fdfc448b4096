package io.virga.gateway.auditlog;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code id} of a response entity, if it has one: a record's {@code id} component or a map's {@code "id"}
 * string. Nothing else of the entity is ever read (a new token's secret sits beside its id).
 */
final class CreatedId {
    private static final Map<Class<?>, Optional<Method>> ACCESSORS = new ConcurrentHashMap<>();

    private CreatedId() {
    }

    static String of(Object entity) {
        if (entity == null) {
            return null;
        }
        if (entity instanceof com.fasterxml.jackson.databind.JsonNode node) {
            return node.path("id").isTextual() ? node.path("id").asText() : null;
        }
        if (entity instanceof Map<?, ?> map) {
            return map.get("id") instanceof String s ? s : null;
        }
        Optional<Method> accessor = ACCESSORS.computeIfAbsent(entity.getClass(), CreatedId::idComponent);
        if (accessor.isEmpty()) {
            return null;
        }
        try {
            return accessor.get().invoke(entity) instanceof String s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<Method> idComponent(Class<?> type) {
        if (!type.isRecord()) {
            return Optional.empty();
        }
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals("id") && c.getType() == String.class) {
                Method m = c.getAccessor();
                m.setAccessible(true);
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}

package io.virga.gateway.stack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One settable attribute of a resource kind, named as the REST API names the field.
 *
 * @param name     the field name (snake_case, as on the wire)
 * @param type     what its value must be
 * @param required whether a spec must give it
 * @param inPlace  true when a change is applied in place (update); false when it forces a replacement
 */
public record Attr(String name, Type type, boolean required, boolean inPlace) {

    /** Value types of attributes. */
    public enum Type {
        STRING, INT, BOOL, STRING_LIST, OBJECT_LIST;

        /** True when {@code v} (a value without references) has this type. */
        boolean accepts(JsonNode v) {
            return switch (this) {
                case STRING -> v.isTextual();
                case INT -> v.isIntegralNumber();
                case BOOL -> v.isBoolean();
                case STRING_LIST -> v.isArray();
                case OBJECT_LIST -> v.isArray();
            };
        }

        String wireName() {
            return switch (this) {
                case STRING -> "a string";
                case INT -> "a whole number";
                case BOOL -> "true or false";
                case STRING_LIST -> "a list of strings";
                case OBJECT_LIST -> "a list of objects";
            };
        }
    }

    static Attr req(String name, Type type) {
        return new Attr(name, type, true, false);
    }

    static Attr opt(String name, Type type) {
        return new Attr(name, type, false, false);
    }

    /** This attribute, changeable in place. */
    Attr changeableInPlace() {
        return new Attr(name, type, required, true);
    }
}

package io.virga.tf.schema;

import io.virga.tf.value.CtyType;

/**
 * One attribute of a resource or of the provider block.
 *
 * @param required   the configuration must set it
 * @param optional   the configuration may set it
 * @param computed   the provider fills it (when the configuration does not)
 * @param forceNew   a change plans a replacement (the API cannot change it in place)
 * @param sensitive  hidden in plan output
 */
public record Attr(String name, CtyType type, String description, boolean required, boolean optional,
        boolean computed, boolean forceNew, boolean sensitive) {

    public static Attr required(String name, CtyType type, String description) {
        return new Attr(name, type, description, true, false, false, false, false);
    }

    public static Attr optional(String name, CtyType type, String description) {
        return new Attr(name, type, description, false, true, false, false, false);
    }

    /** Set by the configuration or, when it does not, by the provider. */
    public static Attr optionalComputed(String name, CtyType type, String description) {
        return new Attr(name, type, description, false, true, true, false, false);
    }

    public static Attr computed(String name, CtyType type, String description) {
        return new Attr(name, type, description, false, false, true, false, false);
    }

    /** This attribute, changes to which replace the resource. */
    public Attr forcesNew() {
        return new Attr(name, type, description, required, optional, computed, true, sensitive);
    }

    public Attr hidden() {
        return new Attr(name, type, description, required, optional, computed, forceNew, true);
    }
}

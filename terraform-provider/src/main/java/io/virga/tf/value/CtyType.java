package io.virga.tf.value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subset of Terraform's type system (cty) the provider's schemas use: primitives, lists of a type
 * and objects with named attributes. {@link #json()} is the type's JSON form that schemas carry.
 */
public sealed interface CtyType {
    /** The JSON form of the type, e.g. {@code "string"} or {@code ["list","string"]}. */
    String json();

    /** {@code string}, {@code number} or {@code bool}. */
    record Primitive(String name) implements CtyType {
        @Override
        public String json() {
            return "\"" + name + "\"";
        }
    }

    /** A list of {@code element}. */
    record ListOf(CtyType element) implements CtyType {
        @Override
        public String json() {
            return "[\"list\"," + element.json() + "]";
        }
    }

    /** An object with the attributes (in their order), each with its type. */
    record ObjectOf(Map<String, CtyType> attributes) implements CtyType {
        public ObjectOf {
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        @Override
        public String json() {
            StringBuilder b = new StringBuilder("[\"object\",{");
            boolean first = true;
            for (Map.Entry<String, CtyType> e : attributes.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append('"').append(e.getKey()).append("\":").append(e.getValue().json());
            }
            return b.append("}]").toString();
        }
    }

    CtyType STRING = new Primitive("string");
    CtyType NUMBER = new Primitive("number");
    CtyType BOOL = new Primitive("bool");

    static CtyType list(CtyType element) {
        return new ListOf(element);
    }
}

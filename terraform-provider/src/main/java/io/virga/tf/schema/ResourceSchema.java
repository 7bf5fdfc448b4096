package io.virga.tf.schema;

import io.virga.tf.protocol.Tfplugin6;
import io.virga.tf.value.CtyType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The attributes of a resource type (or of the provider block), version 0, no nested blocks. */
public record ResourceSchema(String description, List<Attr> attributes) {

    public ResourceSchema {
        attributes = List.copyOf(attributes);
    }

    /** The object type of a whole value of this schema. */
    public CtyType.ObjectOf type() {
        Map<String, CtyType> types = new LinkedHashMap<>();
        attributes.forEach(a -> types.put(a.name(), a.type()));
        return new CtyType.ObjectOf(types);
    }

    public Attr attr(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attribute " + name));
    }

    /** The schema on the wire. */
    public Tfplugin6.Schema toProto() {
        Tfplugin6.Schema.Block.Builder block = Tfplugin6.Schema.Block.newBuilder().setVersion(0)
                .setDescription(description);
        for (Attr a : attributes) {
            block.addAttributes(Tfplugin6.Schema.Attribute.newBuilder().setName(a.name())
                    .setType(com.google.protobuf.ByteString.copyFrom(a.type().json(), StandardCharsets.UTF_8))
                    .setDescription(a.description()).setRequired(a.required()).setOptional(a.optional())
                    .setComputed(a.computed()).setSensitive(a.sensitive()));
        }
        return Tfplugin6.Schema.newBuilder().setVersion(0).setBlock(block).build();
    }
}

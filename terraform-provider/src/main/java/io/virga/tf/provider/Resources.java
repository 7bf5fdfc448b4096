package io.virga.tf.provider;

import io.virga.tf.resource.FloatingIpResource;
import io.virga.tf.resource.InstanceResource;
import io.virga.tf.resource.KeypairResource;
import io.virga.tf.resource.NetworkResource;
import io.virga.tf.resource.Resource;
import io.virga.tf.resource.SecurityGroupResource;
import io.virga.tf.resource.SecurityGroupRuleResource;
import io.virga.tf.resource.SubnetResource;
import io.virga.tf.resource.VolumeResource;
import io.virga.tf.schema.Attr;
import io.virga.tf.schema.ResourceSchema;
import io.virga.tf.value.CtyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The provider's resource types by name, and the provider block's schema. */
public final class Resources {
    /** {@code provider "virga" { endpoint = …, token = … }}; both fall back to VIRGA_ENDPOINT / VIRGA_TOKEN. */
    public static final ResourceSchema PROVIDER = new ResourceSchema("Virga cloud.", List.of(
            Attr.optional("endpoint", CtyType.STRING,
                    "The API URL, e.g. http://127.0.0.1:8080 (default: $VIRGA_ENDPOINT, then $VIRGA_URL)"),
            Attr.optional("token", CtyType.STRING, "An API token (default: $VIRGA_TOKEN)").hidden()));

    private final Map<String, Resource> byName = new LinkedHashMap<>();

    public Resources() {
        for (Resource r : List.of(new NetworkResource(), new SubnetResource(), new SecurityGroupResource(),
                new SecurityGroupRuleResource(), new VolumeResource(), new InstanceResource(),
                new FloatingIpResource(), new KeypairResource())) {
            byName.put(r.typeName(), r);
        }
    }

    public Map<String, Resource> all() {
        return byName;
    }

    /** The type, or an error naming the types there are. */
    public Resource get(String typeName) {
        Resource r = byName.get(typeName);
        if (r == null) {
            throw new IllegalArgumentException("unknown resource type " + typeName + "; this provider has "
                    + byName.keySet());
        }
        return r;
    }
}

package io.virga.gateway.instance;

import io.virga.gateway.flavor.Flavor;

/** The flavor as it was when the instance was created (flavors may change later; instances keep theirs). */
public record FlavorSnapshot(String id, String name, int vcpus, long ramMb, int diskGb, String kind, String virtMode) {
    public static FlavorSnapshot of(Flavor f) {
        return new FlavorSnapshot(f.id(), f.name(), f.vcpus(), f.ramMb(), f.diskGb(), f.kind(), f.virtMode());
    }
}

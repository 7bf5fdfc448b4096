package io.virga.gateway.flavor;

/** A size of instance: vcpus, ram_mb, disk_gb, kind (vm|container|desktop), virt_mode (full|para|hybrid). */
public record Flavor(String id, String name, int vcpus, long ramMb, int diskGb, String kind, String virtMode) {
}

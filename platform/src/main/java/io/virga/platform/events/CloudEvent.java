package io.virga.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event in structured JSON mode.
 *
 * @param id      unique per event (consumers deduplicate on it)
 * @param source  the producing service, e.g. {@code /virga/network-svc}
 * @param type    e.g. {@code io.virga.port.created}
 * @param subject the resource id; also the Kafka key, so one resource's events stay in order
 * @param time    when the fact happened
 * @param data    the payload: the proto3 JSON form of a message of {@code virga.events.v1}
 */
public record CloudEvent(String id, String source, String type, String subject, Instant time, JsonNode data) {
    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** A new event with a random id, happening now. */
    public static CloudEvent of(String source, String type, String subject, JsonNode data) {
        return new CloudEvent(UUID.randomUUID().toString(), source, type, subject, Instant.now(), data);
    }

    /** A new event whose data is the JSON form of a protobuf message. */
    public static CloudEvent of(String source, String type, String subject, com.google.protobuf.MessageOrBuilder data) {
        return of(source, type, subject, ProtoJson.toTree(data));
    }
}

package io.virga.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.UncheckedIOException;

/** Converts protobuf messages to and from their proto3 JSON form (as Jackson trees). */
public final class ProtoJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private ProtoJson() {
    }

    public static JsonNode toTree(MessageOrBuilder message) {
        try {
            return MAPPER.readTree(PRINTER.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("cannot print " + message.getClass().getSimpleName(), e);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses {@code json} into a new message of the builder's type. Unknown
     * fields are ignored, so producers may add fields without breaking consumers.
     *
     * @throws IllegalArgumentException when the JSON does not fit the message
     */
    @SuppressWarnings("unchecked")
    public static <T extends Message> T parse(JsonNode json, Message.Builder builder) {
        try {
            PARSER.merge(json.toString(), builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("event data does not fit " + builder.getDescriptorForType().getFullName(), e);
        }
    }
}

package io.virga.platform.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudEventCodecTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anEncodedEventDecodesToTheSameEvent() throws Exception {
        CloudEvent event = CloudEvent.of("/virga/test", "io.virga.test", "x-1",
                MAPPER.readTree("{\"a\":1,\"b\":\"two\"}"));
        CloudEvent back = CloudEventCodec.decode(CloudEventCodec.encode(event));
        assertEquals(event, back);
        String json = new String(CloudEventCodec.encode(event), StandardCharsets.UTF_8);
        assertEquals("1.0", MAPPER.readTree(json).get("specversion").asText());
        assertEquals("application/json", MAPPER.readTree(json).get("datacontenttype").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[1,2]",
        "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}",
        "{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}",
        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\",\"time\":\"yesterday\",\"data\":{}}",
        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"x\",\"time\":\"2026-01-01T00:00:00Z\"}"
    })
    void malformedEventsAreRejectedWithAnIllegalArgument(String raw) {
        assertThrows(IllegalArgumentException.class, () -> CloudEventCodec.decode(raw.getBytes(StandardCharsets.UTF_8)));
    }
}

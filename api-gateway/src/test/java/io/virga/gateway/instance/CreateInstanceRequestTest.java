package io.virga.gateway.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shape checks of the create body, without any service. */
class CreateInstanceRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<FieldError> errorsOf(String json) throws Exception {
        List<FieldError> errors = new ArrayList<>();
        CreateInstanceRequest.parse(JSON.readTree(json), errors);
        return errors;
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "web-1", "Web_1.prod", "x234567890123456789012345678901234567890123456789012345678901234"})
    void goodNames(String name) {
        assertTrue(CreateInstanceRequest.NAME.matcher(name).matches());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "ünïcode", "semi;colon",
            "x2345678901234567890123456789012345678901234567890123456789012345"})
    void badNames(String name) {
        assertTrue(!CreateInstanceRequest.NAME.matcher(name).matches());
    }

    @Test
    void everyBadFieldIsReportedAtOnce() throws Exception {
        List<FieldError> errors = errorsOf("{\"name\": \"bad name\", \"networks\": [], \"volumes\": [{}],"
                + " \"user_data\": \"***\", \"extra\": 1}");
        List<String> fields = errors.stream().map(FieldError::field).toList();
        // volumes and boot_volume are BlockDeviceRequest's (checked once the rest is valid)
        assertEquals(List.of("extra", "name", "flavor", "image", "networks", "user_data"), fields);
    }

    @Test
    void userDataIsBase64OfAtMost65535BytesWithLineBreaksIgnored() throws Exception {
        String ok = Base64.getMimeEncoder().encodeToString(new byte[49_000]); // 65,334 chars + line breaks
        List<FieldError> errors = new ArrayList<>();
        CreateInstanceRequest r = CreateInstanceRequest.parse(JSON.readTree("{\"user_data\": \""
                + ok.replace("\r\n", "\\r\\n") + "\"}"), errors);
        assertTrue(errors.stream().noneMatch(e -> e.field().equals("user_data")), errors.toString());
        assertEquals(49_000, Base64.getDecoder().decode(r.userData()).length);

        String tooLong = Base64.getEncoder().encodeToString(new byte[49_200]); // 65,600 chars
        errors.clear();
        CreateInstanceRequest.parse(JSON.readTree("{\"user_data\": \"" + tooLong + "\"}"), errors);
        assertTrue(errors.stream().anyMatch(e -> e.field().equals("user_data")), errors.toString());
    }

    @Test
    void aBodyThatIsNotAnObjectIsOneError() throws Exception {
        assertEquals(List.of("body"), errorsOf("[1, 2]").stream().map(FieldError::field).toList());
    }
}

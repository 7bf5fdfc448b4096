package io.virga.scheduler.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"512,512 MiB", "1024,1 GiB", "1536,1.5 GiB", "65536,64 GiB", "0,0 MiB"})
    void mib(long mb, String text) {
        assertEquals(text, Units.mib(mb));
    }
}

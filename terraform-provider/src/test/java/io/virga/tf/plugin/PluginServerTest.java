package io.virga.tf.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginServerTest {
    @Test
    void theCertificateIsSelfSignedForLocalhostAndUsableBothWays() throws Exception {
        X509Certificate cert = SelfSignedCertificate.forLocalhost().certificate();
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertEquals(List.of(List.of(2, "localhost")), cert.getSubjectAlternativeNames().stream()
                .map(l -> List.copyOf(l)).toList());
        assertEquals("CN=localhost", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getBasicConstraints() >= 0, "a CA (its own root)");
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
        assertEquals(3, cert.getVersion());
    }

    @Test
    void onlyTerraformsHandshakeEnvironmentIsAccepted() {
        Map<String, String> ok = Map.of(PluginServer.COOKIE_KEY, PluginServer.COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "5,6", "PLUGIN_CLIENT_CERT", "pem");
        assertNull(PluginServer.refusal(ok));
        assertTrue(PluginServer.refusal(Map.of()).contains("not meant to be executed directly"));
        assertTrue(PluginServer.refusal(Map.of(PluginServer.COOKIE_KEY, PluginServer.COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "5", "PLUGIN_CLIENT_CERT", "pem")).contains("speaks only 6"));
        assertTrue(PluginServer.refusal(Map.of(PluginServer.COOKIE_KEY, PluginServer.COOKIE_VALUE,
                "PLUGIN_PROTOCOL_VERSIONS", "6")).contains("PLUGIN_CLIENT_CERT"));
    }
}

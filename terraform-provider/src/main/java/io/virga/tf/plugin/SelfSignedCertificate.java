package io.virga.tf.plugin;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A fresh ECDSA P-256 key and a self-signed X.509 v3 certificate for {@code localhost} (subject CN and
 * DNS subject alternative name), valid from a minute ago for 30 days, usable as its own CA and for
 * server and client auth: what go-plugin's client (Terraform) checks when it pins the certificate from
 * the handshake line. Built with the JDK only (a small DER writer), no key ever leaves the process.
 */
public record SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

    public static SelfSignedCertificate forLocalhost() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = gen.generateKeyPair();
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            serial[0] &= 0x7f;
            serial[0] |= 0x01;
            byte[] algorithm = Der.sequence(Der.oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
            byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8("localhost"))));
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            byte[] validity = Der.sequence(Der.utcTime(now.minusMinutes(1).format(UTC_TIME)),
                    Der.utcTime(now.plusDays(30).format(UTC_TIME)));
            byte[] extensions = Der.explicit(3, Der.sequence(
                    extension("2.5.29.19", true, Der.sequence(Der.bool(true))), // basicConstraints CA
                    // keyUsage: digitalSignature (bit 0) and keyCertSign (bit 5): 1000 0100, 2 unused bits
                    extension("2.5.29.15", true, Der.bits(2, new byte[] {(byte) 0x84})),
                    extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"),
                            Der.oid("1.3.6.1.5.5.7.3.2"))), // serverAuth, clientAuth
                    extension("2.5.29.17", false, Der.sequence(Der.tlv(0x82,
                            "localhost".getBytes(StandardCharsets.US_ASCII)))))); // dNSName
            byte[] tbs = Der.sequence(Der.explicit(0, Der.integer(new byte[] {2})), Der.integer(serial), algorithm,
                    name, validity, name, keys.getPublic().getEncoded(), extensions);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bits(0, signer.sign()));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.verify(keys.getPublic());
            return new SelfSignedCertificate(keys, cert);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the plugin's TLS certificate", e);
        }
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }
}

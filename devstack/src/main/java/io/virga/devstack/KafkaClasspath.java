package io.virga.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The classpath of the Kafka broker child JVM.
 *
 * <p>Never derived from {@code java.class.path} (surefire and Quarkus' test runner use
 * manifest-only jars and custom class loaders). Sources, in order:
 * <ol>
 *   <li>{@code io/virga/devstack/kafka-classpath.txt}, written at devstack build time by
 *       {@code maven-dependency-plugin:build-classpath}: absolute jar paths in the local
 *       Maven repository; used when every listed jar exists;</li>
 *   <li>the {@code lib/} directory beside the devstack jar ({@code devstack/target/lib},
 *       filled by {@code dependency:copy-dependencies}) when it holds a {@code kafka_2.13} jar.</li>
 * </ol>
 */
final class KafkaClasspath {

    static final String RESOURCE = "kafka-classpath.txt";

    private KafkaClasspath() {
    }

    /**
     * @throws DevstackException naming both places looked at when neither has the broker
     */
    static String resolve() {
        Optional<String> fromResource = fromResource();
        if (fromResource.isPresent()) {
            return fromResource.get();
        }
        Optional<Path> lib = libBesideJar();
        if (lib.isPresent()) {
            try (Stream<Path> jars = Files.list(lib.get())) {
                return jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                        .map(Path::toString).collect(Collectors.joining(":"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new DevstackException("cannot find the Kafka broker's jars: resource io/virga/devstack/" + RESOURCE
                + " is missing or lists absent jars, and there is no lib/ with kafka_2.13 beside the devstack jar"
                + " (rebuild devstack: mvn -pl devstack install)");
    }

    private static Optional<String> fromResource() {
        try (InputStream in = KafkaClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            List<String> entries = Arrays.asList(cp.split(":"));
            boolean complete = !cp.isEmpty()
                    && entries.stream().allMatch(e -> Files.exists(Path.of(e)))
                    && entries.stream().anyMatch(e -> Path.of(e).getFileName().toString().startsWith("kafka_2.13-"));
            return complete ? Optional.of(cp) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static Optional<Path> libBesideJar() {
        CodeSource source = KafkaClasspath.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            Path lib = location.resolveSibling("lib");
            try (Stream<Path> jars = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
                return jars.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"))
                        ? Optional.of(lib) : Optional.empty();
            }
        } catch (URISyntaxException | IllegalArgumentException | IOException e) {
            return Optional.empty(); // not a file location (e.g. a nested jar): no lib/ to look at
        }
    }
}

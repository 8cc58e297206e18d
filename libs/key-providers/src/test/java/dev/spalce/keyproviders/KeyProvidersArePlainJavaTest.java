package dev.spalce.keyproviders;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The providers are a plain-Java library: crypto-service builds them from its configuration, the benchmarks and
 * tools use them in-process. An import of CDI, Quarkus, MicroProfile or a service's package would tie them to one
 * runtime again, so the build refuses it.
 */
class KeyProvidersArePlainJavaTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(jakarta\\.(enterprise|inject|ws|annotation)|javax\\.inject|io\\.quarkus|io\\.smallrye"
                    + "|org\\.eclipse\\.microprofile|io\\.vertx|dev\\.spalce\\.(cryptoservice|kit|rewrap|evidence|gateway|audit)\\b)");

    @Test
    void mainSources_importNoContainerNorServiceCode() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> offending;
        try (Stream<Path> files = Files.walk(sources)) {
            offending = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(KeyProvidersArePlainJavaTest::forbiddenImports)
                    .toList();
        }
        assertThat(sources.resolve("dev/spalce/keyproviders/KeyProvider.java")).exists();
        assertThat(offending).as("imports a plain-Java library must not have").isEmpty();
    }

    @Test
    void forbiddenPattern_catchesACdiImport() {
        assertThat(FORBIDDEN
                        .matcher("import jakarta.enterprise.context.ApplicationScoped;")
                        .find())
                .isTrue();
        assertThat(FORBIDDEN.matcher("import io.quarkus.runtime.Startup;").find())
                .isTrue();
        assertThat(FORBIDDEN.matcher("import dev.spalce.crypto.DataKey;").find())
                .isFalse();
    }

    private static Stream<String> forbiddenImports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> FORBIDDEN.matcher(line).find())
                    .map(line -> file + ": " + line);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}

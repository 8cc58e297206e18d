package dev.spalce.decrypt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tool runs outside the services: nothing of Quarkus, CDI or the services is on its class path. */
class StandaloneTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "io.quarkus.runtime.Quarkus",
                "jakarta.enterprise.context.ApplicationScoped",
                "dev.spalce.kit.api.ProblemException",
                "dev.spalce.evidence.export.service.ExportService"
            })
    void classPath_holdsNoServiceFramework(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }
}

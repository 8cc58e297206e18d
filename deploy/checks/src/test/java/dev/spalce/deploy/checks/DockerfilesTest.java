package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.deploy.checks.docker.DockerfileChecks;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each service's Dockerfile (deploy/docker/SERVICE/Dockerfile). The images are not built here: no Docker engine. */
class DockerfilesTest {

    static List<String> services() {
        return Design.SERVICES;
    }

    private static String dockerfile(String service) throws Exception {
        return Files.readString(Repo.deploy("docker/" + service + "/Dockerfile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void imageIsPinnedNonRootAndSecretFree(String service) throws Exception {
        assertThat(DockerfileChecks.check(service, dockerfile(service))).isEmpty();
        assertThat(Files.readString(Repo.deploy("docker/" + service + "/Dockerfile.dockerignore")))
                .as("the build context sends only the packaged application")
                .contains("*\n!target/quarkus-app/");
    }

    @Test
    void latestBaseImagesAreRefused() throws Exception {
        String broken = dockerfile(Design.CRYPTO)
                .replaceAll("(?m)^FROM .*$", "FROM registry.access.redhat.com/ubi9/openjdk-21-runtime:latest");
        assertThat(DockerfileChecks.check(Design.CRYPTO, broken)).anyMatch(v -> v.contains("pinned"));
        String untagged = dockerfile(Design.CRYPTO)
                .replaceAll("(?m)^FROM .*$", "FROM registry.access.redhat.com/ubi9/openjdk-21-runtime");
        assertThat(DockerfileChecks.check(Design.CRYPTO, untagged)).anyMatch(v -> v.contains("pinned"));
    }

    @Test
    void rootOrNamedUsersAreRefused() throws Exception {
        String root = dockerfile(Design.AUDIT).replace("USER 185", "USER 0");
        assertThat(DockerfileChecks.check(Design.AUDIT, root)).anyMatch(v -> v.contains("non-root"));
        String named = dockerfile(Design.AUDIT).replace("USER 185", "USER jboss");
        assertThat(DockerfileChecks.check(Design.AUDIT, named)).anyMatch(v -> v.contains("numeric"));
    }

    @Test
    void aMissingVolumeForTheDatabaseCaOrTheTlsKeyPairIsRefused() throws Exception {
        String rewrap =
                dockerfile(Design.REWRAP).replace("VOLUME [\"/tmp\", \"/etc/spalce/db-ca\"]", "VOLUME [\"/tmp\"]");
        assertThat(rewrap).isNotEqualTo(dockerfile(Design.REWRAP));
        assertThat(DockerfileChecks.check(Design.REWRAP, rewrap))
                .anyMatch(v -> v.contains("rewrap-worker: must declare VOLUME") && v.contains("/etc/spalce/db-ca"));
        String gateway = dockerfile(Design.GATEWAY).replace("\"/etc/spalce/tls\", ", "");
        assertThat(gateway).isNotEqualTo(dockerfile(Design.GATEWAY));
        assertThat(DockerfileChecks.check(Design.GATEWAY, gateway))
                .anyMatch(v -> v.contains("auth-gateway: must declare VOLUME") && v.contains("/etc/spalce/tls"));
    }

    @Test
    void bakedSecretsAndWrongPortsAreRefused() throws Exception {
        String secret =
                dockerfile(Design.EVIDENCE).replace("ENV LANGUAGE='en_US:en'", "ENV SPALCE_DB_APP_PASSWORD=changeme");
        assertThat(DockerfileChecks.check(Design.EVIDENCE, secret)).anyMatch(v -> v.contains("bake a secret"));
        String ports = dockerfile(Design.GATEWAY).replace("EXPOSE 8443 9000", "EXPOSE 8080 9000");
        assertThat(DockerfileChecks.check(Design.GATEWAY, ports)).anyMatch(v -> v.contains("EXPOSE"));
    }
}

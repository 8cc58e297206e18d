package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline definition (GitHub Actions) has every stage, in order, with its approval gate. */
class PipelineDefinitionTest {

    private static JsonNode jobs;

    @BeforeAll
    static void parse() throws IOException {
        jobs = new ObjectMapper(new YAMLFactory())
                .readTree(Repo.root().resolve(".github/workflows/pipeline.yml").toFile())
                .path("jobs");
    }

    private static String runs(String job) {
        List<String> lines = new ArrayList<>();
        jobs.path(job).path("steps").forEach(step -> lines.add(step.path("run").asText()));
        return String.join("\n", lines);
    }

    @Test
    void pipeline_hasTestBuildScanPlanAndDeployStagesInOrder() {
        assertThat(jobs.fieldNames())
                .toIterable()
                .containsExactly("test", "build-images", "scan", "terraform-plan", "deploy");
        assertThat(jobs.path("build-images").path("needs").asText()).isEqualTo("test");
        assertThat(jobs.path("scan").path("needs").asText()).isEqualTo("build-images");
        assertThat(jobs.path("terraform-plan").path("needs").asText()).isEqualTo("scan");
        assertThat(jobs.path("deploy").path("needs").asText()).isEqualTo("terraform-plan");
        assertThat(runs("test")).contains("./mvnw -B verify");
        assertThat(runs("build-images")).contains("-Pimages");
    }

    @Test
    void buildImages_writesTheTarballsInDebian_andDeployPushesExactlyTheScannedOnes() {
        assertThat(jobs.path("build-images").path("container").asText())
                .as("the images' Debian packages come from Debian")
                .startsWith("debian:");
        String uploaded = jobs.path("build-images").findValue("path").asText();
        assertThat(uploaded).contains("deploy/images/target/images/*.tar").contains("cyclonedx.json");
        assertThat(runs("scan")).contains("trivy image --exit-code 1").contains("--input \"$image\"");
        String deploy = runs("deploy");
        assertThat(deploy).contains("skopeo copy").contains("oci-archive:$image");
        assertThat(deploy.indexOf("skopeo copy"))
                .as("the images are in ECR before the plan points the services at their tag")
                .isLessThan(deploy.indexOf("apply -input=false tfplan"));
        assertThat(runs("terraform-plan")).contains("image_tag=${GITHUB_SHA}");
        assertThat(deploy).contains("${GITHUB_SHA}");
    }

    @Test
    void scan_checksTheSbomsAndRunsCheckovWithSpalcesPolicies() {
        assertThat(runs("scan"))
                .contains("trivy sbom --exit-code 1")
                .contains("checkov --config-file deploy/checkov/.checkov.yaml")
                .contains("kubectl kustomize deploy/k8s/overlays/prod/migrations");
    }

    @Test
    void deploy_appliesTheApprovedPlanMigratesThenRollsOut() {
        assertThat(jobs.path("deploy").path("environment").asText())
                .as("approval through the environment's reviewers")
                .isEqualTo("production");
        String deploy = runs("deploy");
        // The Kubernetes order itself (prerequisites, migrations, app) is install.sh's: KubernetesInstallOrderTest.
        assertThat(deploy).contains("apply -input=false tfplan").contains("deploy/k8s/install.sh prod");
        assertThat(deploy.indexOf("deploy/ecs/run-migrations.sh"))
                .isBetween(deploy.indexOf("tfplan"), deploy.indexOf("deploy/k8s/install.sh prod"));
        assertThat(deploy).doesNotContain("kubectl apply -k deploy/k8s/overlays/prod");
        assertThat(runs("terraform-plan")).contains("plan -input=false").contains("-out=tfplan");
    }
}

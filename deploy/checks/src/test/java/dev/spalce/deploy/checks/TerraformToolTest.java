package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;

/**
 * What the terraform binary can say without a network: the formatting, always when the binary is there;
 * and, where the AWS provider is installed locally (opt-in, SPALCE_TERRAFORM_VALIDATE=true), validation
 * against the provider's schema. Neither plans against an account.
 */
class TerraformToolTest {

    @Test
    void terraformFmtFindsNothingToChange() throws Exception {
        assumeTrue(Tools.onPath("terraform"), "terraform is not installed: the formatting check is skipped");
        Tools.Result fmt = Tools.run(Repo.deploy("ecs"), "terraform", "fmt", "-check", "-recursive", "-diff", ".");
        assertThat(fmt.exit())
                .as("terraform fmt -check -recursive deploy/ecs:\n" + fmt.output())
                .isZero();
    }

    @Test
    void terraformValidatePassesWithTheAwsProvider() throws Exception {
        assumeTrue(
                "true".equals(System.getenv("SPALCE_TERRAFORM_VALIDATE")),
                "opt-in: set SPALCE_TERRAFORM_VALIDATE=true where terraform init can install the AWS provider"
                        + " (a provider mirror through TF_CLI_CONFIG_FILE, or a network)");
        assumeTrue(Tools.onPath("terraform"), "terraform is not installed");
        Path copy = Files.createTempDirectory("spalce-ecs-validate");
        try {
            try (var files = Files.list(Repo.deploy("ecs"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".tf")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            Tools.Result init = Tools.run(copy, "terraform", "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init.exit()).as("terraform init:\n" + init.output()).isZero();
            Tools.Result validate = Tools.run(copy, "terraform", "validate", "-no-color");
            assertThat(validate.exit())
                    .as("terraform validate:\n" + validate.output())
                    .isZero();
        } finally {
            deleteTree(copy);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

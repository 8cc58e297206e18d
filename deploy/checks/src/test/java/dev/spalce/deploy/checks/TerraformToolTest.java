package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the terraform binary can say without a network: the formatting, always when the binary is there;
 * and, where the AWS provider is installed locally (opt-in, SPALCE_TERRAFORM_VALIDATE=true), validation
 * against the provider's schema. Neither plans against an account.
 */
class TerraformToolTest {

    @Test
    void terraformFmtFindsNothingToChange() throws Exception {
        assumeTrue(onPath("terraform"), "terraform is not installed: the formatting check is skipped");
        Result fmt = run(Repo.deploy("ecs"), "terraform", "fmt", "-check", "-recursive", "-diff", ".");
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
        assumeTrue(onPath("terraform"), "terraform is not installed");
        Path copy = Files.createTempDirectory("spalce-ecs-validate");
        try {
            try (var files = Files.list(Repo.deploy("ecs"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".tf")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            Result init = run(copy, "terraform", "init", "-backend=false", "-input=false", "-no-color");
            assertThat(init.exit()).as("terraform init:\n" + init.output()).isZero();
            Result validate = run(copy, "terraform", "validate", "-no-color");
            assertThat(validate.exit())
                    .as("terraform validate:\n" + validate.output())
                    .isZero();
        } finally {
            deleteTree(copy);
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " timed out");
        }
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        List<String> dirs = new ArrayList<>(List.of(path.split(java.io.File.pathSeparator)));
        return dirs.stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
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

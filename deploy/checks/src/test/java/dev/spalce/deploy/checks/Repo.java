package dev.spalce.deploy.checks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spalce.deploy.checks.k8s.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The repository under test, and its Kubernetes overlays rendered once per run. */
public final class Repo {

    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Repo() {}

    /** The repository root: the build passes it in; a run from an IDE finds it from the working directory. */
    public static Path root() {
        String configured = System.getProperty("spalce.repo.root");
        Path start = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository (deploy/k8s) above " + start);
    }

    public static Path deploy(String relative) {
        return root().resolve("deploy").resolve(relative);
    }

    /** {@code kubectl kustomize deploy/k8s/overlays/<overlay>}, parsed; the same list for every caller. */
    public static List<ObjectNode> overlay(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> List.copyOf(Kustomize.render(deploy("k8s/overlays/" + o))));
    }

    /** A deep copy of a rendered overlay, for tests that break it on purpose. */
    public static List<ObjectNode> overlayCopy(String overlay) {
        return overlay(overlay).stream().map(ObjectNode::deepCopy).toList();
    }

    /** {@code kubectl kustomize deploy/k8s/overlays/<overlay>/migrations}, parsed; the same list for every caller. */
    public static List<ObjectNode> migrations(String overlay) {
        return overlay(overlay + "/migrations");
    }

    /** A deep copy of an overlay's rendered migrations, for tests that break them on purpose. */
    public static List<ObjectNode> migrationsCopy(String overlay) {
        return overlayCopy(overlay + "/migrations");
    }
}

package dev.spalce.deploy.checks.docker;

import dev.spalce.deploy.checks.Design;
import dev.spalce.deploy.checks.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile's instructions (comments dropped, continuation lines joined) and checks the image it
 * describes: a pinned JRE 21 base, the fast-jar layout, a numeric non-root user, the service's ports, the
 * volumes its files are mounted on, no secret baked in.
 */
public final class DockerfileChecks {

    /** One instruction: its keyword (upper case) and its arguments. */
    public record Instruction(String keyword, String arguments) {}

    private static final Pattern FROM =
            Pattern.compile("^(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+\\S+)?$", Pattern.CASE_INSENSITIVE);
    private static final List<String> LAYOUT = List.of(
            "target/quarkus-app/lib/",
            "target/quarkus-app/*.jar",
            "target/quarkus-app/app/",
            "target/quarkus-app/quarkus/");

    private DockerfileChecks() {}

    public static List<Instruction> parse(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n", -1)) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            instructions.add(
                    space < 0
                            ? new Instruction(text.toUpperCase(Locale.ROOT), "")
                            : new Instruction(
                                    text.substring(0, space).toUpperCase(Locale.ROOT),
                                    text.substring(space + 1).strip()));
        }
        return instructions;
    }

    /** The violations of one service's Dockerfile. */
    public static List<String> check(String service, String dockerfile) {
        Violations violations = new Violations();
        List<Instruction> instructions = parse(dockerfile);
        List<Instruction> froms =
                instructions.stream().filter(i -> i.keyword().equals("FROM")).toList();
        violations.require(froms.size() == 1, service + ": one stage (FROM) expected, found " + froms.size());
        for (Instruction from : froms) {
            Matcher matcher = FROM.matcher(from.arguments());
            String image = matcher.matches() ? matcher.group(1) : from.arguments();
            String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
            String tag = name.lastIndexOf(':') > name.lastIndexOf('/') ? name.substring(name.lastIndexOf(':') + 1) : "";
            violations.require(
                    image.contains("@sha256:") || !tag.isEmpty() && !tag.equals("latest"),
                    service + ": base image must be pinned to a tag or digest (not latest), found " + image);
            violations.require(!image.contains("$"), service + ": base image must not come from a build argument");
            violations.require(
                    name.contains("openjdk-21")
                            || name.contains("jre-21")
                            || name.contains(":21")
                            || name.contains("21-jre"),
                    service + ": base image must be a Java 21 runtime, found " + image);
        }
        String user = "";
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("USER")) {
                user = instruction.arguments();
            }
        }
        violations.require(
                user.matches("[1-9][0-9]*(:[0-9]+)?"),
                service + ": the last USER must be a numeric" + " non-root uid, found '" + user + "'");
        violations.require(
                user.startsWith(String.valueOf(Design.APP_UID)),
                service + ": runs as uid " + Design.APP_UID + " (the uid the manifests set)");
        List<String> copies = instructions.stream()
                .filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD"))
                .map(Instruction::arguments)
                .toList();
        for (String path : LAYOUT) {
            violations.require(
                    copies.stream().anyMatch(c -> c.contains(" " + path + " ") || c.startsWith(path + " ")),
                    service + ": must copy the fast-jar layout's " + path);
        }
        violations.require(
                instructions.stream().noneMatch(i -> i.keyword().equals("ADD")),
                service + ": use COPY (ADD fetches URLs and unpacks archives)");
        Set<Integer> exposed = new TreeSet<>();
        instructions.stream().filter(i -> i.keyword().equals("EXPOSE")).forEach(i -> {
            for (String port : i.arguments().split("\\s+")) {
                exposed.add(Integer.parseInt(port.replace("/tcp", "")));
            }
        });
        Set<Integer> ports = Set.of(Design.API_PORT.get(service), Design.MANAGEMENT_PORT);
        violations.require(
                exposed.equals(ports), service + ": must EXPOSE " + new TreeSet<>(ports) + ", found " + exposed);
        Set<String> volumes = new TreeSet<>();
        instructions.stream().filter(i -> i.keyword().equals("VOLUME")).forEach(i -> {
            for (String volume :
                    i.arguments().replaceAll("[\\[\\]\",]", " ").strip().split("\\s+")) {
                if (!volume.isEmpty()) {
                    volumes.add(volume);
                }
            }
        });
        Set<String> mounted = service.equals(Design.GATEWAY)
                ? Set.of("/tmp", Design.DB_CA_DIR, Design.TLS_DIR)
                : Set.of("/tmp", Design.DB_CA_DIR);
        violations.require(
                volumes.containsAll(mounted),
                service + ": must declare VOLUME " + new TreeSet<>(mounted)
                        + " (the task volumes ECS Fargate gives the read-only container), found " + volumes);
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
                String name = instruction.arguments().split("[=\\s]", 2)[0].toUpperCase(Locale.ROOT);
                violations.require(
                        !Design.SECRET_NAME.matcher(name).matches(),
                        service + ": " + instruction.keyword() + " " + name + " would bake a secret into the image");
            }
            violations.require(
                    !instruction.arguments().contains("quarkus.profile=dev")
                            && !instruction.arguments().contains("QUARKUS_PROFILE=dev"),
                    service + ": the image runs the prod profile");
        }
        violations.require(
                instructions.stream()
                        .anyMatch(i -> i.keyword().equals("ENTRYPOINT")
                                && i.arguments().startsWith("[")),
                service + ": ENTRYPOINT in exec form (signals reach the JVM)");
        return violations.list();
    }
}

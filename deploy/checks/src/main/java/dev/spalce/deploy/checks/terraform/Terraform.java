package dev.spalce.deploy.checks.terraform;

import dev.spalce.deploy.checks.hcl.Body;
import dev.spalce.deploy.checks.hcl.Expr;
import dev.spalce.deploy.checks.hcl.Hcl;
import dev.spalce.deploy.checks.hcl.HclException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The Terraform files of one root module, parsed: resources, data sources, locals and variables by name. */
public final class Terraform {

    /** A block of the module and the file it is in. */
    public record Located(String file, Body.Block block) {

        public String where() {
            return file + ":" + block.line() + " " + block.type() + " " + String.join(".", block.labels());
        }

        public Body body() {
            return block.body();
        }
    }

    private final Map<String, String> sources;
    private final List<Located> blocks = new ArrayList<>();
    private final Map<String, Expr> locals = new LinkedHashMap<>();

    private Terraform(Map<String, String> sources) {
        this.sources = sources;
        for (Map.Entry<String, String> file : sources.entrySet()) {
            Body body;
            try {
                body = Hcl.parse(file.getValue());
            } catch (HclException e) {
                throw new IllegalStateException(file.getKey() + ", " + e.getMessage(), e);
            }
            for (Body.Block block : body.blocks()) {
                blocks.add(new Located(file.getKey(), block));
                if (block.type().equals("locals")) {
                    for (Body.Attribute attribute : block.body().attributes().values()) {
                        if (locals.put(attribute.name(), attribute.expr()) != null) {
                            throw new IllegalStateException("local." + attribute.name() + " defined twice");
                        }
                    }
                }
            }
            if (!body.attributes().isEmpty()) {
                throw new IllegalStateException(file.getKey() + ": attributes outside any block");
            }
        }
    }

    /** Reads every {@code *.tf} file of a directory (not recursively: one root module). */
    public static Terraform load(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            Map<String, String> sources = new TreeMap<>();
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".tf")).toList()) {
                sources.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
            if (sources.isEmpty()) {
                throw new IllegalStateException("no .tf file in " + directory);
            }
            return new Terraform(sources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a module from file contents (the checks' own tests change a file and parse it again). */
    public static Terraform of(Map<String, String> sources) {
        return new Terraform(new TreeMap<>(sources));
    }

    public Map<String, String> sources() {
        return sources;
    }

    public List<Located> blocks(String type) {
        return blocks.stream().filter(located -> located.block().type().equals(type)).toList();
    }

    /** Every {@code resource "type" "name"} of a type. */
    public List<Located> resources(String type) {
        return labelled("resource", type);
    }

    /** Every {@code data "type" "name"} of a type. */
    public List<Located> data(String type) {
        return labelled("data", type);
    }

    public Optional<Located> resource(String type, String name) {
        return resources(type).stream().filter(located -> located.block().label(1).equals(name)).findFirst();
    }

    public Optional<Located> data(String type, String name) {
        return data(type).stream().filter(located -> located.block().label(1).equals(name)).findFirst();
    }

    public Optional<Located> variable(String name) {
        return blocks("variable").stream().filter(located -> located.block().label(0).equals(name)).findFirst();
    }

    public Map<String, Expr> locals() {
        return locals;
    }

    public Optional<Expr> local(String name) {
        return Optional.ofNullable(locals.get(name));
    }

    private List<Located> labelled(String kind, String type) {
        return blocks.stream()
                .filter(located -> located.block().type().equals(kind) && located.block().label(0).equals(type))
                .toList();
    }

    /** The resource a reference names ({@code aws_subnet.private[*].id} names aws_subnet.private). */
    public Optional<Located> referencedResource(Expr expr) {
        List<String> names = Hcl.names(expr);
        if (names.size() < 2) {
            return Optional.empty();
        }
        if (names.get(0).equals("data") && names.size() >= 3) {
            return data(names.get(1), names.get(2));
        }
        return resource(names.get(0), names.get(1));
    }

    /** {@code local.name...} resolved to the local's expression (steps after the name are not applied). */
    public Expr resolveLocal(Expr expr) {
        List<String> names = Hcl.names(expr);
        if (names.size() >= 2 && names.get(0).equals("local")) {
            Expr value = locals.get(names.get(1));
            if (value == null) {
                throw new IllegalStateException("undefined " + expr.text());
            }
            return value;
        }
        return expr;
    }
}

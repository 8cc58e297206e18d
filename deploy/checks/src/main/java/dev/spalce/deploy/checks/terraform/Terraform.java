package dev.spalce.deploy.checks.terraform;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.VariableTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLArray;
import com.bertramlabs.plugins.hcl4j.symbols.HCLValue;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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

/**
 * The Terraform files of one root module, parsed with hcl4j: resources, data sources, variables and locals
 * by name. hcl4j gives each block's body as a map; a block written more than once in a body becomes a list
 * of maps, a reference ({@code aws_kms_key.data.arn}) a symbol whose text is the reference without its
 * brackets and quotes ({@code aws_iam_role.task.crypto-service.id}), and a string with interpolations the
 * string with each {@code ${...}} replaced by its reference's text. Expressions it cannot evaluate
 * statically (a {@code for} expression, a function of an unknown value) are opaque or null: a check that
 * needs such a value reports it as unreadable (fails closed).
 */
public final class Terraform {

    /** A {@code resource}, {@code data}, {@code variable} or {@code output} block and the file it is in. */
    public record Block(String file, String kind, String type, String name, Map<String, Object> body) {

        public String where() {
            return file + ": " + kind + " " + (type.isEmpty() ? "" : type + ".") + name;
        }

        public Optional<Object> get(String attribute) {
            return Optional.ofNullable(body.get(attribute));
        }

        /** The attribute's text (a literal, or a reference's text), empty when absent. */
        public String text(String attribute) {
            return Terraform.text(body.get(attribute));
        }

        /** The nested blocks of a type (none, one or several). */
        public List<Map<String, Object>> blocks(String type) {
            return Terraform.maps(body.get(type));
        }
    }

    private static final Object PARSER_OUTPUT_LOCK = new Object();

    private final Map<String, String> sources;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Object> locals = new LinkedHashMap<>();

    private Terraform(Map<String, String> sources) {
        this.sources = sources;
        for (Map.Entry<String, String> file : sources.entrySet()) {
            Map<String, Object> parsed = parse(file.getKey(), file.getValue());
            for (Map.Entry<String, Object> top : parsed.entrySet()) {
                switch (top.getKey()) {
                    case "resource", "data" -> typed(file.getKey(), top.getKey(), top.getValue());
                    case "variable", "output", "module" -> named(file.getKey(), top.getKey(), "", top.getValue());
                    case "locals" -> {
                        for (Map<String, Object> localsBlock : maps(top.getValue())) {
                            for (Map.Entry<String, Object> local : localsBlock.entrySet()) {
                                if (locals.put(local.getKey(), local.getValue()) != null) {
                                    throw new IllegalStateException("local." + local.getKey() + " defined twice");
                                }
                            }
                        }
                    }
                    case "terraform", "provider" ->
                        named(file.getKey(), top.getKey(), "", Map.of(top.getKey(), top.getValue()));
                    default ->
                        throw new IllegalStateException(file.getKey() + ": unexpected top-level " + top.getKey());
                }
            }
        }
    }

    /** hcl4j writes some of its parsing steps to standard output: kept out of the build's log. */
    private static Map<String, Object> parse(String file, String source) {
        synchronized (PARSER_OUTPUT_LOCK) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return new HCLParser().parse(source, false);
            } catch (HCLParserException | RuntimeException e) {
                throw new IllegalStateException(file + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                System.setOut(out);
            }
        }
    }

    private void typed(String file, String kind, Object byType) {
        for (Map<String, Object> types : maps(byType)) {
            for (Map.Entry<String, Object> type : types.entrySet()) {
                named(file, kind, type.getKey(), type.getValue());
            }
        }
    }

    private void named(String file, String kind, String type, Object byName) {
        for (Map<String, Object> names : maps(byName)) {
            for (Map.Entry<String, Object> name : names.entrySet()) {
                Map<String, Object> body =
                        maps(name.getValue()).stream().findFirst().orElse(Map.of());
                blocks.add(new Block(file, kind, type, name.getKey(), body));
            }
        }
    }

    /** Reads every {@code *.tf} file of a directory (not recursively: one root module). */
    public static Terraform load(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            Map<String, String> sources = new TreeMap<>();
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".tf"))
                    .toList()) {
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

    public List<Block> resources(String type) {
        return blocks.stream()
                .filter(b -> b.kind().equals("resource") && b.type().equals(type))
                .toList();
    }

    public Optional<Block> resource(String type, String name) {
        return resources(type).stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<Block> data(String type, String name) {
        return blocks.stream()
                .filter(b -> b.kind().equals("data")
                        && b.type().equals(type)
                        && b.name().equals(name))
                .findFirst();
    }

    public Optional<Block> variable(String name) {
        return blocks.stream()
                .filter(b -> b.kind().equals("variable") && b.name().equals(name))
                .findFirst();
    }

    public Optional<Object> local(String name) {
        return Optional.ofNullable(locals.get(name));
    }

    /** A value as text: a literal's value, a reference's text ({@code aws_iam_role.task["x"].id}); empty for null. */
    public static String text(Object value) {
        if (value instanceof VariableTree tree) {
            StringBuilder text = new StringBuilder();
            for (Symbol part : tree.getChildren()) {
                if (part instanceof HCLArray index) {
                    text.append('[');
                    for (Symbol key : index.getChildren()) {
                        text.append(
                                key instanceof HCLValue literal && literal.value instanceof String string
                                        ? "\"" + string + "\""
                                        : text(key));
                    }
                    text.append(']');
                } else {
                    text.append(text.isEmpty() ? "" : ".").append(part.getName());
                }
            }
            return text.toString();
        }
        if (value instanceof HCLValue literal) {
            return String.valueOf(literal.value);
        }
        return value == null ? "" : value instanceof Symbol symbol ? symbol.getName() : value.toString();
    }

    /** A value as a list of texts: a list's items, or the one value. */
    public static List<String> texts(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Terraform::text).toList();
        }
        return List.of(text(value));
    }

    /** A block's body, or each body of a block written several times; nothing for anything else. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object value) {
        if (value instanceof Map<?, ?> map) {
            return List.of((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return list.stream()
                    .filter(Map.class::isInstance)
                    .map(item -> (Map<String, Object>) item)
                    .toList();
        }
        return List.of();
    }
}

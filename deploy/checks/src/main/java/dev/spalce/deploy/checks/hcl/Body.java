package dev.spalce.deploy.checks.hcl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The body of an HCL file or block: attributes ({@code name = expr}) and nested blocks. */
public final class Body {

    /** {@code name = expr}, on {@code line} of its file. */
    public record Attribute(String name, Expr expr, int line) {
    }

    /** {@code type "label" ... { body }}, starting on {@code line} of its file. */
    public record Block(String type, List<String> labels, Body body, int line) {

        public String label(int index) {
            return index < labels.size() ? labels.get(index) : "";
        }
    }

    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();

    void add(Attribute attribute) {
        if (attributes.putIfAbsent(attribute.name(), attribute) != null) {
            throw new HclException("attribute " + attribute.name() + " defined twice", attribute.line());
        }
    }

    void add(Block block) {
        blocks.add(block);
    }

    public Map<String, Attribute> attributes() {
        return attributes;
    }

    public Optional<Expr> attribute(String name) {
        return Optional.ofNullable(attributes.get(name)).map(Attribute::expr);
    }

    public List<Block> blocks() {
        return blocks;
    }

    public List<Block> blocks(String type) {
        return blocks.stream().filter(block -> block.type().equals(type)).toList();
    }

    public Optional<Block> block(String type) {
        return blocks.stream().filter(block -> block.type().equals(type)).findFirst();
    }
}

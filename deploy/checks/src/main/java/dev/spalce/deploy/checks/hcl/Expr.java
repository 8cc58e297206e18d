package dev.spalce.deploy.checks.hcl;

import java.util.List;
import java.util.Optional;

/**
 * An HCL expression as written: the parser keeps the syntax tree and evaluates nothing, so that a check can
 * tell a literal from a reference and refuse what it cannot read ("fail closed").
 */
public sealed interface Expr {

    /** The expression's source text, for messages. */
    String text();

    /** A number, a string without interpolation, {@code true}, {@code false} or {@code null}. */
    record Literal(Object value, String text) implements Expr {
    }

    /** A quoted string or heredoc with interpolations: parts are {@link String}s and {@link Expr}s. */
    record Template(List<Object> parts, String text) implements Expr {
    }

    /** A template directive ({@code %{ if }}, {@code %{ for }}): kept opaque. */
    record Directive(String text) implements Expr {
    }

    /** {@code [a, b, c]}. */
    record Tuple(List<Expr> items, String text) implements Expr {
    }

    /** {@code { key = value, ... }}. */
    record ObjectCons(List<Item> items, String text) implements Expr {

        public record Item(Expr key, Expr value) {
        }

        /** The value of a key written as a bare name or a plain string. */
        public Optional<Expr> get(String key) {
            for (Item item : items) {
                if (key.equals(Hcl.keyName(item.key()).orElse(null))) {
                    return Optional.of(item.value());
                }
            }
            return Optional.empty();
        }
    }

    /** A bare name: the root of a reference ({@code var}, {@code local}, {@code aws_subnet}, {@code each}). */
    record Variable(String name, String text) implements Expr {
    }

    /** {@code base.attr[index][*].attr}. */
    record Traversal(Expr base, List<Step> steps, String text) implements Expr {
    }

    /** {@code name(args...)}, {@code expand} when the last argument is followed by {@code ...}. */
    record Call(String name, List<Expr> args, boolean expand, String text) implements Expr {
    }

    /** {@code condition ? ifTrue : ifFalse}. */
    record Conditional(Expr condition, Expr ifTrue, Expr ifFalse, String text) implements Expr {
    }

    /** A unary ({@code !}, {@code -}) or binary operation. */
    record Operation(String operator, List<Expr> operands, String text) implements Expr {
    }

    /** {@code [for v in c : value if cond]} or {@code {for k, v in c : key => value if cond}}. */
    record For(String keyVar, String valueVar, Expr collection, Expr keyExpr, Expr valueExpr, Expr condition,
               boolean object, String text) implements Expr {
    }

    /** A step of a traversal. */
    sealed interface Step {
        /** {@code .name} */
        record Attr(String name) implements Step {
        }

        /** {@code [key]} or {@code .0} */
        record Index(Expr key) implements Step {
        }

        /** {@code [*]} or {@code .*} */
        record Splat() implements Step {
        }
    }
}

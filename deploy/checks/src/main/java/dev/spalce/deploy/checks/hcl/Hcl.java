package dev.spalce.deploy.checks.hcl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parser of HCL's native syntax (the language of Terraform files), written for these checks.
 *
 * <p>It builds the syntax tree (bodies, blocks, attributes and every expression as written) and evaluates
 * nothing: a reference stays a reference, a function call a call. That is deliberate. An evaluating parser
 * must invent a value for what it cannot compute (a resource's ARN, a variable without a value), and a
 * check reading the invented value proves nothing; with the tree, a check sees exactly what was written and
 * refuses what it cannot read. Covered: comments, blocks with labels, attributes, literals, quoted templates
 * with interpolations and escapes, heredocs, tuples, objects, references with attribute, index and splat
 * steps, function calls (with {@code ...} expansion), unary, binary and conditional operators, and
 * {@code for} expressions. Template directives ({@code %{ }}) are kept opaque.
 */
public final class Hcl {

    private final String src;
    private int pos;
    private int nest;

    private Hcl(String src) {
        this.src = src;
    }

    /** Parses a whole file. */
    public static Body parse(String source) {
        Hcl parser = new Hcl(source);
        Body body = parser.body(false);
        parser.space();
        if (!parser.eof()) {
            throw parser.error("unexpected " + parser.peekChar());
        }
        return body;
    }

    /** Parses one expression (for tests and for checks that build expressions). */
    public static Expr parseExpression(String source) {
        Hcl parser = new Hcl(source);
        parser.nest = 1;
        Expr expr = parser.expression();
        parser.space();
        if (!parser.eof()) {
            throw parser.error("unexpected " + parser.peekChar());
        }
        return expr;
    }

    // ---- helpers for checks ------------------------------------------------------------------------------

    /** The string value of a literal, or of a template without interpolation. */
    public static Optional<String> string(Expr expr) {
        if (expr instanceof Expr.Literal literal && literal.value() instanceof String text) {
            return Optional.of(text);
        }
        if (expr instanceof Expr.Template template && template.parts().stream().allMatch(String.class::isInstance)) {
            return Optional.of(String.join("", template.parts().stream().map(String.class::cast).toList()));
        }
        return Optional.empty();
    }

    /** The value of a literal {@code true} or {@code false}. */
    public static Optional<Boolean> bool(Expr expr) {
        return expr instanceof Expr.Literal literal && literal.value() instanceof Boolean value
                ? Optional.of(value) : Optional.empty();
    }

    /** The value of a numeric literal. */
    public static Optional<BigDecimal> number(Expr expr) {
        return expr instanceof Expr.Literal literal && literal.value() instanceof BigDecimal value
                ? Optional.of(value) : Optional.empty();
    }

    /** An object key written as a bare name or a plain string. */
    public static Optional<String> keyName(Expr key) {
        if (key instanceof Expr.Variable variable) {
            return Optional.of(variable.name());
        }
        return string(key);
    }

    /**
     * The path of a reference, steps included: {@code aws_subnet.private[*].id},
     * {@code aws_security_group.service["auth-gateway"].id}, {@code aws_iam_role.task[each.key].arn}.
     * Empty if the expression is not a reference to a name.
     */
    public static Optional<String> path(Expr expr) {
        if (expr instanceof Expr.Variable variable) {
            return Optional.of(variable.name());
        }
        if (expr instanceof Expr.Traversal traversal && traversal.base() instanceof Expr.Variable root) {
            StringBuilder path = new StringBuilder(root.name());
            for (Expr.Step step : traversal.steps()) {
                if (step instanceof Expr.Step.Attr attr) {
                    path.append('.').append(attr.name());
                } else if (step instanceof Expr.Step.Splat) {
                    path.append("[*]");
                } else if (step instanceof Expr.Step.Index index) {
                    path.append('[').append(string(index.key()).map(key -> '"' + key + '"')
                            .orElse(index.key().text())).append(']');
                }
            }
            return Optional.of(path.toString());
        }
        return Optional.empty();
    }

    /** The names of a reference without its index and splat steps: {@code [aws_subnet, private, id]}. */
    public static List<String> names(Expr expr) {
        List<String> names = new ArrayList<>();
        if (expr instanceof Expr.Variable variable) {
            names.add(variable.name());
        } else if (expr instanceof Expr.Traversal traversal && traversal.base() instanceof Expr.Variable root) {
            names.add(root.name());
            for (Expr.Step step : traversal.steps()) {
                if (step instanceof Expr.Step.Attr attr) {
                    names.add(attr.name());
                }
            }
        }
        return names;
    }

    // ---- bodies ------------------------------------------------------------------------------------------

    private Body body(boolean nested) {
        Body body = new Body();
        while (true) {
            spaceAndNewlines();
            if (eof()) {
                if (nested) {
                    throw error("missing }");
                }
                return body;
            }
            if (peekChar() == '}') {
                if (nested) {
                    return body;
                }
                throw error("unexpected }");
            }
            int line = line();
            String name = identifier();
            space();
            if (peekChar() == '=' && peekChar(1) != '=') {
                pos++;
                Expr expr = expression();
                endOfItem();
                body.add(new Body.Attribute(name, expr, line));
            } else {
                List<String> labels = new ArrayList<>();
                while (peekChar() != '{') {
                    if (peekChar() == '"') {
                        Expr label = template();
                        labels.add(string(label).orElseThrow(() -> error("a block label cannot interpolate")));
                    } else if (isIdentifierStart(peekChar())) {
                        labels.add(identifier());
                    } else {
                        throw error("expected a block label or {, found " + describe());
                    }
                    space();
                }
                pos++;
                Body inner = body(true);
                expect('}');
                endOfItem();
                body.add(new Body.Block(name, List.copyOf(labels), inner, line));
            }
        }
    }

    private void endOfItem() {
        space();
        if (eof() || peekChar() == '}') {
            return;
        }
        if (peekChar() == '\n') {
            pos++;
            return;
        }
        throw error("expected a new line, found " + describe());
    }

    // ---- expressions -------------------------------------------------------------------------------------

    private Expr expression() {
        int start = skipToToken();
        Expr condition = binary(0);
        int mark = pos;
        skipToToken();
        if (peekChar() == '?') {
            pos++;
            nest++;
            Expr ifTrue = expression();
            skipToToken();
            expect(':');
            Expr ifFalse = expression();
            nest--;
            return new Expr.Conditional(condition, ifTrue, ifFalse, text(start));
        }
        pos = mark;
        return condition;
    }

    private static final String[][] LEVELS = {
        {"||"}, {"&&"}, {"==", "!="}, {">=", "<=", ">", "<"}, {"+", "-"}, {"*", "/", "%"},
    };

    private Expr binary(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        int start = skipToToken();
        Expr left = binary(level + 1);
        while (true) {
            int mark = pos;
            skipToToken();
            String operator = operatorAt(LEVELS[level]);
            if (operator == null) {
                pos = mark;
                return left;
            }
            pos += operator.length();
            Expr right = binary(level + 1);
            left = new Expr.Operation(operator, List.of(left, right), text(start));
        }
    }

    private String operatorAt(String[] operators) {
        for (String operator : operators) {
            if (src.startsWith(operator, pos)) {
                // "=>" is not ">=" / "="; "*" of a splat never reaches here; "-" of a negative number is unary.
                if (operator.equals(">") && src.startsWith(">=", pos)) {
                    continue;
                }
                if (operator.equals("<") && src.startsWith("<<", pos)) {
                    continue;
                }
                return operator;
            }
        }
        return null;
    }

    private Expr unary() {
        int start = skipToToken();
        char c = peekChar();
        if (c == '!' || (c == '-' && !Character.isDigit(peekChar(1)))) {
            pos++;
            Expr operand = unary();
            return new Expr.Operation(String.valueOf(c), List.of(operand), text(start));
        }
        return postfix(primary(), start);
    }

    private Expr postfix(Expr base, int start) {
        List<Expr.Step> steps = new ArrayList<>();
        while (true) {
            int mark = pos;
            if (nest > 0) {
                spaceAndNewlines();
            } else {
                space();
            }
            if (peekChar() == '.' && peekChar(1) != '.') {
                pos++;
                if (peekChar() == '*') {
                    pos++;
                    steps.add(new Expr.Step.Splat());
                } else if (Character.isDigit(peekChar())) {
                    int digits = pos;
                    while (Character.isDigit(peekChar())) {
                        pos++;
                    }
                    String index = src.substring(digits, pos);
                    steps.add(new Expr.Step.Index(new Expr.Literal(new BigDecimal(index), index)));
                } else {
                    steps.add(new Expr.Step.Attr(identifier()));
                }
            } else if (peekChar() == '[') {
                pos++;
                nest++;
                spaceAndNewlines();
                if (peekChar() == '*') {
                    pos++;
                    spaceAndNewlines();
                    expect(']');
                    steps.add(new Expr.Step.Splat());
                } else {
                    Expr key = expression();
                    spaceAndNewlines();
                    expect(']');
                    steps.add(new Expr.Step.Index(key));
                }
                nest--;
            } else {
                pos = mark;
                break;
            }
        }
        return steps.isEmpty() ? base : new Expr.Traversal(base, List.copyOf(steps), text(start));
    }

    private Expr primary() {
        int start = skipToToken();
        if (eof()) {
            throw error("expected an expression");
        }
        char c = peekChar();
        if (Character.isDigit(c) || (c == '-' && Character.isDigit(peekChar(1)))) {
            return number();
        }
        if (c == '"') {
            return template();
        }
        if (c == '<' && peekChar(1) == '<') {
            return heredoc();
        }
        if (c == '(') {
            pos++;
            nest++;
            Expr inner = expression();
            spaceAndNewlines();
            expect(')');
            nest--;
            return inner;
        }
        if (c == '[') {
            return tuple();
        }
        if (c == '{') {
            return object();
        }
        if (isIdentifierStart(c)) {
            String name = identifier();
            switch (name) {
                case "true":
                    return new Expr.Literal(Boolean.TRUE, name);
                case "false":
                    return new Expr.Literal(Boolean.FALSE, name);
                case "null":
                    return new Expr.Literal(null, name);
                default:
                    break;
            }
            if (peekChar() == ':' && peekChar(1) == ':') {
                // provider-defined function: provider::name::function(...)
                while (peekChar() == ':' && peekChar(1) == ':') {
                    pos += 2;
                    name = name + "::" + identifier();
                }
            }
            if (peekChar() == '(') {
                return call(name, start);
            }
            return new Expr.Variable(name, name);
        }
        throw error("expected an expression, found " + describe());
    }

    private Expr number() {
        int start = pos;
        if (peekChar() == '-') {
            pos++;
        }
        while (Character.isDigit(peekChar()) || peekChar() == '.' && Character.isDigit(peekChar(1))
                || peekChar() == 'e' || peekChar() == 'E'
                || (peekChar() == '+' || peekChar() == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')) {
            pos++;
        }
        String text = src.substring(start, pos);
        return new Expr.Literal(new BigDecimal(text), text);
    }

    private Expr call(String name, int start) {
        expect('(');
        nest++;
        List<Expr> args = new ArrayList<>();
        boolean expand = false;
        spaceAndNewlines();
        while (peekChar() != ')') {
            args.add(expression());
            spaceAndNewlines();
            if (src.startsWith("...", pos)) {
                pos += 3;
                expand = true;
                spaceAndNewlines();
            }
            if (peekChar() == ',') {
                pos++;
                spaceAndNewlines();
            } else if (peekChar() != ')') {
                throw error("expected , or ) in the arguments of " + name + ", found " + describe());
            }
        }
        pos++;
        nest--;
        return new Expr.Call(name, List.copyOf(args), expand, text(start));
    }

    private Expr tuple() {
        int start = pos;
        expect('[');
        nest++;
        spaceAndNewlines();
        if (startsWithKeyword("for")) {
            Expr result = forExpression(start, false);
            nest--;
            return result;
        }
        List<Expr> items = new ArrayList<>();
        while (peekChar() != ']') {
            items.add(expression());
            spaceAndNewlines();
            if (peekChar() == ',') {
                pos++;
                spaceAndNewlines();
            } else if (peekChar() != ']') {
                throw error("expected , or ] in a tuple, found " + describe());
            }
        }
        pos++;
        nest--;
        return new Expr.Tuple(List.copyOf(items), text(start));
    }

    private Expr object() {
        int start = pos;
        expect('{');
        nest++;
        spaceAndNewlines();
        if (startsWithKeyword("for")) {
            Expr result = forExpression(start, true);
            nest--;
            return result;
        }
        List<Expr.ObjectCons.Item> items = new ArrayList<>();
        while (peekChar() != '}') {
            Expr key;
            int keyStart = pos;
            if (isIdentifierStart(peekChar())) {
                String name = identifier();
                space();
                if (peekChar() == '=' || peekChar() == ':') {
                    key = new Expr.Variable(name, name);
                } else {
                    pos = keyStart;
                    key = expression();
                }
            } else {
                key = expression();
            }
            spaceAndNewlines();
            if (peekChar() == '=' && peekChar(1) != '=' || peekChar() == ':') {
                pos++;
            } else {
                throw error("expected = or : after an object key, found " + describe());
            }
            Expr value = expression();
            items.add(new Expr.ObjectCons.Item(key, value));
            spaceAndNewlines();
            if (peekChar() == ',') {
                pos++;
                spaceAndNewlines();
            }
        }
        pos++;
        nest--;
        return new Expr.ObjectCons(List.copyOf(items), text(start));
    }

    private Expr forExpression(int start, boolean object) {
        pos += 3;
        spaceAndNewlines();
        String first = identifier();
        String second = null;
        spaceAndNewlines();
        if (peekChar() == ',') {
            pos++;
            spaceAndNewlines();
            second = identifier();
            spaceAndNewlines();
        }
        if (!startsWithKeyword("in")) {
            throw error("expected in, found " + describe());
        }
        pos += 2;
        Expr collection = expression();
        spaceAndNewlines();
        expect(':');
        Expr keyExpr = null;
        Expr valueExpr;
        if (object) {
            keyExpr = expression();
            spaceAndNewlines();
            if (!src.startsWith("=>", pos)) {
                throw error("expected => in a for expression, found " + describe());
            }
            pos += 2;
        }
        valueExpr = expression();
        spaceAndNewlines();
        if (src.startsWith("...", pos)) {
            pos += 3;
            spaceAndNewlines();
        }
        Expr condition = null;
        if (startsWithKeyword("if")) {
            pos += 2;
            condition = expression();
            spaceAndNewlines();
        }
        expect(object ? '}' : ']');
        String keyVar = second == null ? null : first;
        String valueVar = second == null ? first : second;
        return new Expr.For(keyVar, valueVar, collection, keyExpr, valueExpr, condition, object, text(start));
    }

    // ---- templates ---------------------------------------------------------------------------------------

    private Expr template() {
        int start = pos;
        expect('"');
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        while (true) {
            if (eof() || peekChar() == '\n') {
                throw error("unterminated string");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                break;
            }
            if (c == '\\') {
                literal.append(escape());
                continue;
            }
            if (templatePart(parts, literal)) {
                continue;
            }
            literal.append(c);
            pos++;
        }
        return finishTemplate(parts, literal, text(start));
    }

    private Expr heredoc() {
        int start = pos;
        pos += 2;
        boolean indented = peekChar() == '-';
        if (indented) {
            pos++;
        }
        String marker = identifier();
        space();
        expect('\n');
        List<String> lines = new ArrayList<>();
        while (true) {
            if (eof()) {
                throw error("unterminated heredoc " + marker);
            }
            int end = src.indexOf('\n', pos);
            String line = end < 0 ? src.substring(pos) : src.substring(pos, end);
            pos = end < 0 ? src.length() : end + 1;
            if (line.strip().equals(marker)) {
                pos -= end < 0 ? 0 : 1;
                break;
            }
            lines.add(line);
        }
        if (indented) {
            int indent = lines.stream().filter(line -> !line.isBlank())
                    .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
            lines.replaceAll(line -> line.length() >= indent ? line.substring(indent) : line.stripLeading());
        }
        String content = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        Hcl inner = new Hcl(content);
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        while (!inner.eof()) {
            if (!inner.templatePart(parts, literal)) {
                literal.append(inner.src.charAt(inner.pos));
                inner.pos++;
            }
        }
        return finishTemplate(parts, literal, text(start));
    }

    /** Reads an interpolation, a directive or an escaped marker at the position, if there is one. */
    private boolean templatePart(List<Object> parts, StringBuilder literal) {
        if (src.startsWith("$${", pos) || src.startsWith("%%{", pos)) {
            literal.append(src, pos + 1, pos + 3);
            pos += 3;
            return true;
        }
        if (src.startsWith("${", pos)) {
            flush(parts, literal);
            pos += 2;
            if (peekChar() == '~') {
                pos++;
            }
            nest++;
            Expr expr = expression();
            spaceAndNewlines();
            if (peekChar() == '~') {
                pos++;
            }
            expect('}');
            nest--;
            parts.add(expr);
            return true;
        }
        if (src.startsWith("%{", pos)) {
            flush(parts, literal);
            int start = pos;
            int depth = 0;
            while (!eof()) {
                char c = src.charAt(pos++);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            parts.add(new Expr.Directive(src.substring(start, pos)));
            return true;
        }
        return false;
    }

    private static void flush(List<Object> parts, StringBuilder literal) {
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
    }

    private static Expr finishTemplate(List<Object> parts, StringBuilder literal, String text) {
        flush(parts, literal);
        if (parts.isEmpty()) {
            return new Expr.Literal("", text);
        }
        if (parts.size() == 1 && parts.get(0) instanceof String only) {
            return new Expr.Literal(only, text);
        }
        return new Expr.Template(List.copyOf(parts), text);
    }

    private String escape() {
        pos++;
        char c = src.charAt(pos++);
        switch (c) {
            case 'n':
                return "\n";
            case 't':
                return "\t";
            case 'r':
                return "\r";
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case 'u':
                pos += 4;
                return String.valueOf((char) Integer.parseInt(src.substring(pos - 4, pos), 16));
            case 'U':
                pos += 8;
                return new String(Character.toChars(Integer.parseInt(src.substring(pos - 8, pos), 16)));
            default:
                throw error("unknown escape \\" + c);
        }
    }

    // ---- characters ---------------------------------------------------------------------------------------

    /** Skips spaces and comments on the current line (and new lines too inside brackets). */
    private int skipToToken() {
        if (nest > 0) {
            spaceAndNewlines();
        } else {
            space();
        }
        return pos;
    }

    private void space() {
        while (!eof()) {
            char c = peekChar();
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#' || c == '/' && peekChar(1) == '/') {
                while (!eof() && peekChar() != '\n') {
                    pos++;
                }
            } else if (c == '/' && peekChar(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("unterminated comment");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private void spaceAndNewlines() {
        while (true) {
            space();
            if (!eof() && peekChar() == '\n') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String identifier() {
        if (!isIdentifierStart(peekChar())) {
            throw error("expected a name, found " + describe());
        }
        int start = pos;
        while (!eof() && (Character.isLetterOrDigit(peekChar()) || peekChar() == '_' || peekChar() == '-')) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private boolean startsWithKeyword(String keyword) {
        return src.startsWith(keyword, pos) && pos + keyword.length() < src.length()
                && !Character.isLetterOrDigit(src.charAt(pos + keyword.length()))
                && src.charAt(pos + keyword.length()) != '_' && src.charAt(pos + keyword.length()) != '-';
    }

    private void expect(char c) {
        if (peekChar() != c) {
            throw error("expected " + c + ", found " + describe());
        }
        pos++;
    }

    private boolean eof() {
        return pos >= src.length();
    }

    private char peekChar() {
        return peekChar(0);
    }

    private char peekChar(int ahead) {
        return pos + ahead < src.length() ? src.charAt(pos + ahead) : '\0';
    }

    private String describe() {
        if (eof()) {
            return "the end of the file";
        }
        return peekChar() == '\n' ? "a new line" : "'" + peekChar() + "'";
    }

    private String text(int start) {
        return src.substring(start, pos).strip();
    }

    private int line() {
        int line = 1;
        for (int i = 0; i < pos && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private HclException error(String message) {
        return new HclException(message, line());
    }
}

package dev.spalce.deploy.checks.terraform;

import dev.spalce.deploy.checks.hcl.Body;
import dev.spalce.deploy.checks.hcl.Expr;
import dev.spalce.deploy.checks.hcl.Hcl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every IAM policy statement of a module, wherever it is written: {@code aws_iam_policy_document} data
 * sources and {@code jsonencode({...})} policies on any resource's {@code policy} or
 * {@code assume_role_policy}. A policy written any other way (a heredoc, a file, a string built at run time)
 * cannot be read here and is reported.
 */
public final class IamPolicies {

    /** One statement, its parts as written. */
    public record Statement(String where, String document, String effect, Expr actions, Expr notActions,
                            Expr resources, Expr notResources, List<Expr> principals,
                            List<Condition> conditions) {

        public boolean allows() {
            return !"Deny".equals(effect);
        }
    }

    /** {@code condition { test, variable, values }}. */
    public record Condition(String test, String variable, Expr values) {
    }

    private static final Set<String> POLICY_ATTRIBUTES = Set.of("policy", "assume_role_policy");

    private final List<Statement> statements = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();

    public IamPolicies(Terraform module) {
        for (Terraform.Located document : module.data("aws_iam_policy_document")) {
            String name = document.block().label(1);
            for (Body.Block statement : document.body().blocks("statement")) {
                Body body = statement.body();
                List<Expr> principals = new ArrayList<>();
                for (Body.Block principal : body.blocks("principals")) {
                    principal.body().attribute("identifiers").ifPresent(principals::add);
                }
                if (!body.blocks("not_principals").isEmpty()) {
                    unreadable.add(document.where() + ": not_principals");
                }
                List<Condition> conditions = new ArrayList<>();
                for (Body.Block condition : body.blocks("condition")) {
                    conditions.add(new Condition(
                            condition.body().attribute("test").flatMap(Hcl::string).orElse(""),
                            condition.body().attribute("variable").flatMap(Hcl::string).orElse(""),
                            condition.body().attribute("values").orElse(null)));
                }
                String effect = body.attribute("effect").map(e -> Hcl.string(e).orElse("?" + e.text()))
                        .orElse("Allow");
                statements.add(new Statement(document.file() + ":" + statement.line() + " data."
                        + "aws_iam_policy_document." + name + body.attribute("sid").flatMap(Hcl::string)
                        .map(sid -> " (" + sid + ")").orElse(""), name, effect,
                        body.attribute("actions").orElse(null), body.attribute("not_actions").orElse(null),
                        body.attribute("resources").orElse(null), body.attribute("not_resources").orElse(null),
                        principals, conditions));
            }
        }
        for (Terraform.Located located : module.blocks("resource")) {
            collectInline(module, located, located.body());
        }
    }

    private void collectInline(Terraform module, Terraform.Located located, Body body) {
        for (Body.Attribute attribute : body.attributes().values()) {
            if (!POLICY_ATTRIBUTES.contains(attribute.name())) {
                continue;
            }
            Expr policy = attribute.expr();
            List<String> names = Hcl.names(policy);
            if (names.size() == 4 && names.get(0).equals("data") && names.get(1).equals("aws_iam_policy_document")
                    && names.get(3).equals("json")) {
                if (module.data("aws_iam_policy_document", names.get(2)).isEmpty()) {
                    unreadable.add(located.where() + ": " + attribute.name() + " names a missing document "
                            + policy.text());
                }
            } else if (policy instanceof Expr.Call call && call.name().equals("jsonencode") && call.args().size() == 1
                    && call.args().get(0) instanceof Expr.ObjectCons document) {
                readJson(located, attribute.name(), document);
            } else {
                unreadable.add(located.where() + ": " + attribute.name() + " is neither an aws_iam_policy_document"
                        + " nor jsonencode({...}): " + abbreviate(policy.text()));
            }
        }
        for (Body.Block nested : body.blocks()) {
            collectInline(module, located, nested.body());
        }
    }

    private void readJson(Terraform.Located located, String attribute, Expr.ObjectCons document) {
        Optional<Expr> statementExpr = document.get("Statement");
        List<Expr> items = statementExpr.map(s -> s instanceof Expr.Tuple tuple ? tuple.items() : List.of(s))
                .orElse(List.of());
        for (Expr item : items) {
            if (!(item instanceof Expr.ObjectCons statement)) {
                unreadable.add(located.where() + ": a statement that is not an object literal: " + item.text());
                continue;
            }
            String effect = statement.get("Effect").flatMap(Hcl::string).orElse("?");
            List<Expr> principals = new ArrayList<>();
            statement.get("Principal").ifPresent(principal -> {
                if (principal instanceof Expr.ObjectCons object) {
                    object.items().forEach(entry -> principals.add(entry.value()));
                } else {
                    principals.add(principal);
                }
            });
            List<Condition> conditions = new ArrayList<>();
            statement.get("Condition").ifPresent(condition -> {
                if (condition instanceof Expr.ObjectCons tests) {
                    for (Expr.ObjectCons.Item test : tests.items()) {
                        if (test.value() instanceof Expr.ObjectCons variables) {
                            for (Expr.ObjectCons.Item variable : variables.items()) {
                                conditions.add(new Condition(Hcl.keyName(test.key()).orElse("?"),
                                        Hcl.keyName(variable.key()).orElse("?"), variable.value()));
                            }
                        }
                    }
                }
            });
            statements.add(new Statement(located.where() + " " + attribute, located.where(), effect,
                    statement.get("Action").orElse(null), statement.get("NotAction").orElse(null),
                    statement.get("Resource").orElse(null), statement.get("NotResource").orElse(null),
                    principals, conditions));
        }
        if (items.isEmpty()) {
            unreadable.add(located.where() + ": " + attribute + " has no Statement");
        }
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Policies that are written in a way these checks cannot read. */
    public List<String> unreadable() {
        return unreadable;
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}

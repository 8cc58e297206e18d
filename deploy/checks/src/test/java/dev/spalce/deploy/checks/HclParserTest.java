package dev.spalce.deploy.checks;

import dev.spalce.deploy.checks.hcl.Body;
import dev.spalce.deploy.checks.hcl.Expr;
import dev.spalce.deploy.checks.hcl.Hcl;
import dev.spalce.deploy.checks.hcl.HclException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HCL parser keeps what is written: literals as values, references as references, nothing evaluated. */
class HclParserTest {

    @Test
    void blocksLabelsAndAttributes() {
        Body body = Hcl.parse("""
                # a comment
                resource "aws_lb_listener" "https" {
                  port       = 443 // another
                  ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
                  /* block
                     comment */
                  default_action {
                    type = "forward"
                  }
                  empty {}
                }
                """);
        Body.Block listener = body.blocks().get(0);
        assertThat(listener.type()).isEqualTo("resource");
        assertThat(listener.labels()).containsExactly("aws_lb_listener", "https");
        assertThat(listener.line()).isEqualTo(2);
        assertThat(Hcl.number(listener.body().attribute("port").orElseThrow())).contains(new BigDecimal("443"));
        assertThat(Hcl.string(listener.body().attribute("ssl_policy").orElseThrow()))
                .contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
        assertThat(listener.body().block("default_action").orElseThrow().body().attribute("type")
                .flatMap(Hcl::string)).contains("forward");
        assertThat(listener.body().block("empty")).isPresent();
    }

    @Test
    void referencesStayReferences() {
        Expr subnets = Hcl.parseExpression("aws_subnet.private[*].id");
        assertThat(Hcl.path(subnets)).contains("aws_subnet.private[*].id");
        assertThat(Hcl.names(subnets)).containsExactly("aws_subnet", "private", "id");
        Expr indexed = Hcl.parseExpression("aws_security_group.service[\"auth-gateway\"].id");
        assertThat(Hcl.path(indexed)).contains("aws_security_group.service[\"auth-gateway\"].id");
        assertThat(Hcl.path(Hcl.parseExpression("aws_db_instance.main.master_user_secret[0].secret_arn")))
                .contains("aws_db_instance.main.master_user_secret[0].secret_arn");
        assertThat(Hcl.string(Hcl.parseExpression("var.customer_kms_key_arns"))).isEmpty();
    }

    @Test
    void templatesKeepTheirInterpolations() {
        Expr template = Hcl.parseExpression("\"${aws_s3_bucket.evidence.arn}/*\"");
        assertThat(template).isInstanceOf(Expr.Template.class);
        List<Object> parts = ((Expr.Template) template).parts();
        assertThat(parts).hasSize(2);
        assertThat(Hcl.path((Expr) parts.get(0))).contains("aws_s3_bucket.evidence.arn");
        assertThat(parts.get(1)).isEqualTo("/*");
        assertThat(Hcl.string(Hcl.parseExpression("\"a \\\"quoted\\\" $${literal} %%{x}\\n\"")))
                .contains("a \"quoted\" ${literal} %{x}\n");
        Expr nested = Hcl.parseExpression("\"${each.key == \"auth-gateway\" ? \"x}\" : \"\"}-end\"");
        assertThat(((Expr.Template) nested).parts().get(0)).isInstanceOf(Expr.Conditional.class);
    }

    @Test
    void collectionsCallsAndOperators() {
        Expr object = Hcl.parseExpression("""
                {
                  "auth-gateway" = { port = 8443, cpu = 1024 }
                  other          = [1, 2,
                                    3]
                  "Cluster Name" : -1 + 2 * 3
                }""");
        Expr.ObjectCons map = (Expr.ObjectCons) object;
        assertThat(map.get("auth-gateway")).containsInstanceOf(Expr.ObjectCons.class);
        assertThat(((Expr.Tuple) map.get("other").orElseThrow()).items()).hasSize(3);
        Expr arithmetic = map.get("Cluster Name").orElseThrow();
        assertThat(((Expr.Operation) arithmetic).operator()).isEqualTo("+");
        Expr call = Hcl.parseExpression("merge([for a, b in local.x : { k = b } if a != \"z\"]...)");
        assertThat(call).isInstanceOf(Expr.Call.class);
        assertThat(((Expr.Call) call).expand()).isTrue();
        Expr.For forExpr = (Expr.For) ((Expr.Call) call).args().get(0);
        assertThat(forExpr.keyVar()).isEqualTo("a");
        assertThat(forExpr.valueVar()).isEqualTo("b");
        assertThat(forExpr.condition()).isNotNull();
        Expr objectFor = Hcl.parseExpression("{ for name, s in local.services : name => s.port }");
        assertThat(((Expr.For) objectFor).object()).isTrue();
    }

    @Test
    void heredocs() {
        Body body = Hcl.parse("""
                resource "x" "y" {
                  text = <<-EOT
                    line one ${var.name}
                    line two
                  EOT
                  after = true
                }
                """);
        Body inner = body.blocks().get(0).body();
        Expr.Template text = (Expr.Template) inner.attribute("text").orElseThrow();
        assertThat(text.parts().get(0)).isEqualTo("line one ");
        assertThat(text.parts().get(2)).isEqualTo("\nline two\n");
        assertThat(Hcl.bool(inner.attribute("after").orElseThrow())).contains(true);
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> Hcl.parse("a = 1\nb = [1, 2\nc = 3\n")).isInstanceOf(HclException.class);
        assertThatThrownBy(() -> Hcl.parse("resource \"x\" {\n  a = 1\n")).isInstanceOf(HclException.class)
                .hasMessageContaining("missing }");
        assertThatThrownBy(() -> Hcl.parse("a = 1 b = 2\n")).isInstanceOf(HclException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> Hcl.parse("x {\n a = 1\n a = 2\n}\n")).hasMessageContaining("defined twice");
    }

    @Test
    void parsesEveryFileOfTheModule() {
        dev.spalce.deploy.checks.terraform.Terraform module =
                dev.spalce.deploy.checks.terraform.Terraform.load(Repo.deploy("ecs"));
        assertThat(module.sources()).containsKeys("versions.tf", "iam.tf", "ecs.tf", "network.tf");
        assertThat(module.resources("aws_ecs_service")).hasSize(1);
        assertThat(module.locals()).containsKeys("services", "calls", "app_container");
    }
}

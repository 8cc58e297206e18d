package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.contracts.TopicAccess;
import dev.spalce.deploy.checks.terraform.Terraform;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.junit.jupiter.api.Test;

/**
 * The ACLs of MSK in Terraform ({@code deploy/ecs/kafka-acls}) are exactly the ones the local broker and the tests run
 * with ({@link TopicAccess}): the same topics and groups, operations and services, MSK's principal being the
 * certificate's subject ({@code User:CN=SERVICE}) where the local broker maps it to {@code User:SERVICE}.
 */
class KafkaAclsTest {

    private static final Map<String, String> SOURCES =
            Terraform.load(Repo.deploy("ecs/kafka-acls")).sources();

    /** An ACL as {@code Type|name|Pattern|service|Operation}, the form both sides are compared in. */
    private static String acl(String type, String name, String pattern, String service, String operation) {
        return String.join("|", type, name, pattern, service, operation);
    }

    private static String capitalized(Enum<?> value) {
        String lower = value.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static Set<String> local() {
        Set<String> acls = new TreeSet<>();
        for (AclBinding binding : TopicAccess.bindings()) {
            assertThat(binding.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(binding.entry().host()).isEqualTo("*");
            acls.add(acl(
                    capitalized(binding.pattern().resourceType()),
                    binding.pattern().name(),
                    capitalized(binding.pattern().patternType()),
                    binding.entry().principal().substring("User:".length()),
                    capitalized(binding.entry().operation())));
        }
        return acls;
    }

    /** The ACLs of the module, or a description of what is wrong with one. */
    static Set<String> terraform(Terraform module) {
        Set<String> acls = new TreeSet<>();
        Object declared = module.local("acls").orElseThrow(() -> new AssertionError("local.acls is missing"));
        assertThat(declared).as("local.acls: a literal map").isInstanceOf(Map.class);
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) declared).entrySet()) {
            Map<?, ?> acl = (Map<?, ?>) entry.getValue();
            String principal = Terraform.text(acl.get("principal"));
            if (!principal.startsWith("User:CN=")) {
                acls.add(entry.getKey() + ": principal " + principal + " is not a certificate subject User:CN=SERVICE");
                continue;
            }
            acls.add(acl(
                    Terraform.text(acl.get("type")),
                    Terraform.text(acl.get("name")),
                    Terraform.text(acl.get("pattern")),
                    principal.substring("User:CN=".length()),
                    Terraform.text(acl.get("operation"))));
        }
        return acls;
    }

    @Test
    void mskAcls_areExactlyTheLocalBrokersAcls() {
        assertThat(terraform(Terraform.of(SOURCES))).isEqualTo(local());
    }

    @Test
    void everyAcl_isCreated_asAnAllowForAnyHost() {
        Terraform.Block resource = Terraform.of(SOURCES)
                .resource("kafka_acl", "spalce")
                .orElseThrow(() -> new AssertionError("resource kafka_acl.spalce is missing"));
        // The parser resolves the local; the source must name it (every entry, nothing else).
        assertThat(SOURCES.get("acls.tf")).contains("for_each = local.acls");
        assertThat(resource.text("acl_permission_type")).isEqualTo("Allow");
        assertThat(resource.text("acl_host")).isEqualTo("*");
        assertThat(resource.text("resource_name")).isEqualTo("each.value.name");
        assertThat(resource.text("resource_type")).isEqualTo("each.value.type");
        assertThat(resource.text("resource_pattern_type_filter")).isEqualTo("each.value.pattern");
        assertThat(resource.text("acl_principal")).isEqualTo("each.value.principal");
        assertThat(resource.text("acl_operation")).isEqualTo("each.value.operation");
    }

    @Test
    void anAclReadingTheAuditTopicForAnotherService_isReported() {
        Map<String, String> sources = new HashMap<>(SOURCES);
        String from = "\"audit-read-audit-log-service\"  = { type = \"Topic\", name = \"spalce.audit.v1\", pattern = "
                + "\"Literal\", principal = \"User:CN=audit-log-service\"";
        assertThat(sources.get("acls.tf")).contains(from);
        sources.put(
                "acls.tf",
                sources.get("acls.tf").replace(from, from.replace("CN=audit-log-service", "CN=evidence-service")));
        assertThat(terraform(Terraform.of(sources)))
                .isNotEqualTo(local())
                .contains(acl("Topic", "spalce.audit.v1", "Literal", "evidence-service", "Read"));
    }
}

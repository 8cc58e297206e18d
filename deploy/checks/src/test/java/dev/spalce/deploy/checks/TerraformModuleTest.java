package dev.spalce.deploy.checks;

import dev.spalce.deploy.checks.terraform.Terraform;
import dev.spalce.deploy.checks.terraform.TerraformChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Parses deploy/ecs and checks its invariants (the module is read, not planned: no AWS account here). */
class TerraformModuleTest {

    private static TerraformChecks checks;

    @BeforeAll
    static void parse() {
        checks = new TerraformChecks(Terraform.load(Repo.deploy("ecs")));
    }

    private static void check(Function<TerraformChecks, List<String>> invariant) {
        assertThat(invariant.apply(checks)).as("violations in deploy/ecs").isEmpty();
    }

    @Test
    void noIamStatementGrantsAWildcardActionOrResource() {
        check(TerraformChecks::iamNoWildcards);
    }

    @Test
    void eachServiceHasItsOwnRolesWithOnlyWhatItNeeds() {
        check(TerraformChecks::iamLeastPrivilegePerService);
    }

    @Test
    void oneEcsServiceTaskDefinitionLogGroupAndSecretPerService() {
        check(TerraformChecks::onePerService);
    }

    @Test
    void tasksRunInPrivateSubnetsWithoutPublicAddresses() {
        check(TerraformChecks::ecsTasksPrivate);
    }

    @Test
    void theDatabaseIsPrivateEncryptedAndTlsOnly() {
        check(TerraformChecks::rdsPrivateAndEncrypted);
    }

    @Test
    void kafkaIsPrivateAndEncryptedInTransitAndAtRest() {
        check(TerraformChecks::mskPrivateAndEncrypted);
    }

    @Test
    void theLoadBalancerServesTls12And13AndRedirectsHttp() {
        check(TerraformChecks::loadBalancerTls);
    }

    @Test
    void wafWithTheManagedRuleGroupsGuardsTheLoadBalancer() {
        check(TerraformChecks::wafOnLoadBalancer);
    }

    @Test
    void theEvidenceBucketIsPrivateEncryptedVersionedAndTlsOnly() {
        check(TerraformChecks::evidenceBucketLockedDown);
    }

    @Test
    void securityGroupsAllowExactlyTheDesignsFlows() {
        check(TerraformChecks::securityGroupFlows);
    }

    @Test
    void awsApisAreReachedThroughVpcEndpoints() {
        check(TerraformChecks::vpcEndpoints);
    }

    @Test
    void secretsComeFromSecretsManagerAndContainersAreLockedDown() {
        check(TerraformChecks::secretsAndContainers);
    }

    @Test
    void logsAreKeptKeysRotateAndVersionsArePinned() {
        check(TerraformChecks::logsKeysAndVersions);
    }
}

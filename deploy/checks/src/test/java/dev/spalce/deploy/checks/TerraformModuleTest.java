package dev.spalce.deploy.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.deploy.checks.terraform.Terraform;
import dev.spalce.deploy.checks.terraform.TerraformChecks;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parses deploy/ecs with hcl4j and checks Spalce's invariants (read, not planned: no AWS account here). */
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
    void eachRoleGrantsExactlyItsServicesActionsWithoutWildcards() {
        check(TerraformChecks::iamLeastPrivilege);
    }

    @Test
    void everyAwsSdkCallOfAServiceIsGrantedToItsRole() {
        check(c -> c.sdkCallsGranted(Repo.root()));
    }

    @Test
    void tasksDatabaseAndKafkaArePrivate() {
        check(TerraformChecks::privateNetworking);
    }

    @Test
    void everythingIsEncryptedWithTheModulesOwnKeys() {
        check(TerraformChecks::encryptionWithOwnKeys);
    }

    @Test
    void kafkaRefusesUnauthenticatedClients() {
        check(TerraformChecks::kafkaAuthenticated);
    }

    @Test
    void cloudTrailRecordsEveryRegionIntoALockedBucket() {
        check(TerraformChecks::cloudTrail);
    }

    @Test
    void theAuditAnchorIsWriteOnceAndWrittenByAuditLogServiceOnly() {
        check(TerraformChecks::auditAnchor);
    }

    @Test
    void onlyTheMigrationTaskHoldsTheAdminCredential() {
        check(TerraformChecks::migrationsHoldTheAdminCredential);
    }

    @Test
    void internalCertificatesAreIssuedAndRotatedAutomaticallyFor90DaysAtMost() {
        check(TerraformChecks::internalCertificates);
    }

    @Test
    void theWayInIsTls12Or13WithADnsValidatedCertificate() {
        check(TerraformChecks::publicTls);
    }

    @Test
    void eachTasksFileVolumesAreItsImagesMountPoints() {
        check(TerraformChecks::fileVolumesMatchTheImages);
    }

    @Test
    void theDefaultRegionIsUsEast1AndNoSecretIsInTheCode() {
        check(TerraformChecks::regionAndSecrets);
    }
}

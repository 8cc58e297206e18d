package dev.spalce.evidence;

import dev.spalce.evidence.support.EvidenceTestResource;
import dev.spalce.testsupport.ServiceBootContract;
import dev.spalce.testsupport.SpalceInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = SpalceInfrastructure.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = EvidenceTestResource.class, scope = TestResourceScope.GLOBAL)
class EvidenceServiceBootTest extends ServiceBootContract {}

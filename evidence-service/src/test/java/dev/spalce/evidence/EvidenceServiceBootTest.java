package dev.spalce.evidence;

import dev.spalce.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EvidenceServiceBootTest extends ServiceBootContract {
}

package dev.spalce.audit;

import dev.spalce.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditLogServiceBootTest extends ServiceBootContract {}

package dev.spalce.rewrap;

import dev.spalce.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RewrapWorkerBootTest extends ServiceBootContract {}

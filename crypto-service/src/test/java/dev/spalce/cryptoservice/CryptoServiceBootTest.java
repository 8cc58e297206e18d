package dev.spalce.cryptoservice;

import dev.spalce.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CryptoServiceBootTest extends ServiceBootContract {}

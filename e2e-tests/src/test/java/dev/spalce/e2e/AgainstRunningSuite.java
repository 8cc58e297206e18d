package dev.spalce.e2e;

import org.junit.jupiter.api.BeforeAll;

/** A test class of the running suite ({@link RunningSuite#shared}), which every class of the run shares. */
abstract class AgainstRunningSuite {

    static RunningSuite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = RunningSuite.shared();
    }

    /** A URL of the gateway's (plain HTTP, loopback) API. */
    static String gateway(String path) {
        return suite.url("auth-gateway").resolve(path).toString();
    }
}

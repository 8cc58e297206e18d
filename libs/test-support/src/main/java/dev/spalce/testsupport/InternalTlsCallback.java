package dev.spalce.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Before every {@code @QuarkusTest} method: RestAssured speaks mutual TLS to the service under test (an internal
 * service answers nothing else), presenting the certificate of the caller its token names ({@link InternalTls}).
 * Registered through {@code META-INF/services}, so no test class has to ask for it.
 */
public class InternalTlsCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        InternalTls.installForRestAssured();
    }
}

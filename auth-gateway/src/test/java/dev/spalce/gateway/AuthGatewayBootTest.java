package dev.spalce.gateway;

import dev.spalce.testsupport.OidcTokens;
import dev.spalce.testsupport.ServiceBootContract;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuthGatewayBootTest extends ServiceBootContract {

    /** The gateway faces users: it accepts their tokens for the Spalce API audience. */
    @Override
    protected String acceptedToken() {
        return OidcTokens.user("boot-contract");
    }
}

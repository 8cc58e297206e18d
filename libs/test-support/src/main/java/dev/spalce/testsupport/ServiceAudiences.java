package dev.spalce.testsupport;

import org.eclipse.microprofile.config.ConfigProvider;

/** The token audience of the service a test runs ({@code spalce.service.audience} of its configuration). */
final class ServiceAudiences {

    private ServiceAudiences() {}

    static String underTest() {
        return ConfigProvider.getConfig()
                .getOptionalValue("spalce.service.audience", String.class)
                .orElseThrow(() -> new IllegalStateException(
                        "no service under test here (spalce.service.audience): name the audience"));
    }
}

package dev.spalce.cryptoservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.cryptoservice.access.api.CallerAllowed;
import dev.spalce.cryptoservice.access.model.Operation;
import dev.spalce.cryptoservice.datakey.api.DataKeyResource;
import dev.spalce.cryptoservice.tenantkey.api.KeyDetachmentResource;
import dev.spalce.cryptoservice.tenantkey.api.KeyShreddingResource;
import dev.spalce.cryptoservice.tenantkey.api.TenantKeyResource;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every endpoint of crypto-service names the operation whose allow-list guards it; none is open to any service. */
class ResourceAuthorizationTest {

    private static final List<Class<?>> RESOURCES = List.of(
            DataKeyResource.class, TenantKeyResource.class, KeyDetachmentResource.class, KeyShreddingResource.class);

    @Test
    void everyEndpoint_isGuardedByAnOperationAllowList() {
        List<Method> endpoints = RESOURCES.stream()
                .flatMap(resource -> Arrays.stream(resource.getDeclaredMethods()))
                .filter(method -> Arrays.stream(method.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)))
                .toList();

        assertThat(endpoints).hasSize(12);
        assertThat(endpoints)
                .allSatisfy(method -> assertThat(method.getAnnotation(CallerAllowed.class))
                        .as(method.toString())
                        .isNotNull());
    }

    @Test
    void operations_mapToTheIntendedEndpoints() {
        Map<String, Operation> byMethod = RESOURCES.stream()
                .flatMap(resource -> Arrays.stream(resource.getDeclaredMethods()))
                .filter(method -> method.isAnnotationPresent(CallerAllowed.class))
                .collect(Collectors.toMap(
                        Method::getName,
                        m -> m.getAnnotation(CallerAllowed.class).value()));

        assertThat(byMethod)
                .containsEntry("mint", Operation.MINT)
                .containsEntry("mintBatch", Operation.MINT)
                .containsEntry("unwrap", Operation.UNWRAP)
                .containsEntry("rewrap", Operation.REWRAP)
                .containsEntry("read", Operation.READ_KEYS)
                .containsEntry("register", Operation.MANAGE_KEYS)
                .containsEntry("rotate", Operation.MANAGE_KEYS)
                .containsEntry("setRotationPolicy", Operation.MANAGE_KEYS)
                .containsEntry("changeVersionState", Operation.RETIRE_VERSIONS)
                .containsEntry("change", Operation.MANAGE_KEYS)
                .containsEntry("detach", Operation.DETACH_KEYS)
                .containsEntry("shred", Operation.SHRED_KEYS);
    }
}

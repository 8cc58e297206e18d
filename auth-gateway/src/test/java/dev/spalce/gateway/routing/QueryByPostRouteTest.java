package dev.spalce.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spalce.gateway.access.Permission;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** The email lookup is a POST that reads: it needs read-personnel, the other POSTs of personnel write. */
class QueryByPostRouteTest {

    @Test
    void postToPersonnelLookup_needsReadPersonnel_andOtherPostsNeedManage() {
        assertThat(WorkspaceRoute.PERSONNEL.permissionFor(HttpMethod.POST, "/lookup")).contains(Permission.READ_PERSONNEL);
        assertThat(WorkspaceRoute.PERSONNEL.permissionFor(HttpMethod.POST, null)).contains(Permission.MANAGE_PERSONNEL);
        assertThat(WorkspaceRoute.PERSONNEL.permissionFor(HttpMethod.POST, "/lookup/x")).contains(Permission.MANAGE_PERSONNEL);
        assertThat(WorkspaceRoute.CHECK_RESULTS.permissionFor(HttpMethod.POST, "/lookup")).contains(Permission.UPLOAD_EVIDENCE);
    }
}

package dev.spalce.contracts.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The email lookup is a POST that reads: it needs read-personnel, the other POSTs of personnel write. */
class QueryByPostTest {

    @Test
    void postToPersonnelLookup_needsReadPersonnel_andOtherPostsNeedManage() {
        assertThat(WorkspaceResource.PERSONNEL.permissionFor("POST", "/lookup")).contains(Permission.READ_PERSONNEL);
        assertThat(WorkspaceResource.PERSONNEL.permissionFor("POST", null)).contains(Permission.MANAGE_PERSONNEL);
        assertThat(WorkspaceResource.PERSONNEL.permissionFor("POST", "/lookup/x"))
                .contains(Permission.MANAGE_PERSONNEL);
        assertThat(WorkspaceResource.CHECK_RESULTS.permissionFor("POST", "/lookup"))
                .contains(Permission.UPLOAD_EVIDENCE);
    }
}

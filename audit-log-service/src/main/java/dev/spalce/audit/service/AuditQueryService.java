package dev.spalce.audit.service;

import dev.spalce.audit.model.AuditEntry;
import dev.spalce.audit.repository.AuditEntryRepository;
import dev.spalce.audit.repository.AuditEntryRepository.Filter;
import dev.spalce.kit.api.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Pages through a workspace's audit entries, newest first, with an opaque cursor. */
@ApplicationScoped
public class AuditQueryService {

    private static final String CURSOR_PREFIX = "before-seq:";

    private final AuditEntryRepository entries;

    public AuditQueryService(AuditEntryRepository entries) {
        this.entries = entries;
    }

    /** @param items the entries of this page @param nextCursor where the next page starts, or null at the end */
    public record Page(List<AuditEntry> items, String nextCursor) {}

    @WithSession
    public Uni<Page> page(String workspaceId, Filter filter, String cursor, int limit) {
        Long beforeSeq = cursor == null ? null : decode(cursor);
        return entries.page(workspaceId, filter, beforeSeq, limit + 1)
                .map(found -> found.size() > limit
                        ? new Page(found.subList(0, limit), encode(found.get(limit - 1).seq))
                        : new Page(found, null));
    }

    private static String encode(long beforeSeq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + beforeSeq).getBytes(StandardCharsets.US_ASCII));
    }

    private static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                return Long.parseLong(text.substring(CURSOR_PREFIX.length()));
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw ProblemException.invalid("the cursor is not one this API returned");
    }
}

package dev.spalce.contracts.audit;

/**
 * Actions that Spalce's services audit, as the CloudEvents {@code type} of events on the audit topic.
 *
 * <p>Producers name actions through these constants. The audit log accepts any well-formed action, known here
 * or not, because an audit log must not lose an event only because its producer is newer than its consumer.
 */
public final class AuditAction {

    public static final String USER_LOGIN = "user.login";
    /**
     * An actor's successful reads of one resource's lists and metadata from one address in one window (a minute),
     * aggregated into one event (details: reads, windowStart, windowEnd). Reads that reveal a record's content have
     * their own per-record event besides ({@code personnel.read}, {@code evidence.downloaded}, ...).
     */
    public static final String RESOURCE_READ = "resource.read";
    /** A user opened a workspace's rewrap progress stream (one event per stream, before its first byte). */
    public static final String REWRAP_PROGRESS_SUBSCRIBED = "rewrap.progress-subscribed";

    public static final String ACCESS_DENIED = "access.denied";
    public static final String WORKSPACE_CREATED = "workspace.created";
    public static final String MEMBER_INVITED = "member.invited";
    public static final String MEMBER_JOINED = "member.joined";
    public static final String MEMBER_ROLE_CHANGED = "member.role-changed";
    public static final String MEMBER_REMOVED = "member.removed";
    public static final String EVIDENCE_UPLOADED = "evidence.uploaded";
    public static final String EVIDENCE_DOWNLOADED = "evidence.downloaded";
    public static final String EVIDENCE_DELETED = "evidence.deleted";
    /** A file's content was streamed through a signed URL. */
    public static final String EVIDENCE_CONTENT_FETCHED = "evidence.content-fetched";
    /** A signed URL was refused (expired, altered or for another file): outcome {@code denied}. */
    public static final String EVIDENCE_SIGNED_URL_REFUSED = "evidence.signed-url-refused";

    public static final String INTEGRATION_CONNECTED = "integration.connected";
    public static final String INTEGRATION_DISCONNECTED = "integration.disconnected";
    public static final String PERSONNEL_CREATED = "personnel.created";
    public static final String PERSONNEL_READ = "personnel.read";
    public static final String PERSONNEL_CHANGED = "personnel.changed";
    public static final String PERSONNEL_DELETED = "personnel.deleted";
    public static final String SCAN_COMPLETED = "scan.completed";
    public static final String CHECK_RESULT_DELETED = "check-result.deleted";
    /** A stored record could not be read: its wrapped data key or its ciphertext did not authenticate. */
    public static final String RECORD_UNREADABLE = "record.unreadable";

    public static final String CMK_REGISTERED = "cmk.registered";
    public static final String CMK_ROTATED = "cmk.rotated";
    public static final String CMK_ROTATION_POLICY_CHANGED = "cmk.rotation-policy-changed";
    public static final String CMK_VERSION_STATE_CHANGED = "cmk.version-state-changed";
    /** The workspace's master key was replaced by another; the previous one still unwraps until detached. */
    public static final String CMK_CHANGED = "cmk.changed";
    /**
     * A previous master key no stored data key references any more was detached: Spalce never calls it again, and
     * its owner may disable it in their KMS.
     */
    public static final String CMK_DETACHED = "cmk.detached";

    public static final String REWRAP_STARTED = "rewrap.started";
    public static final String REWRAP_PAUSED = "rewrap.paused";
    public static final String REWRAP_RESUMED = "rewrap.resumed";
    public static final String REWRAP_CANCELLED = "rewrap.cancelled";
    public static final String REWRAP_COMPLETED = "rewrap.completed";
    public static final String REWRAP_FAILED = "rewrap.failed";
    /** An Owner asked for a workspace export (docs/export.md). */
    public static final String EXPORT_REQUESTED = "export.requested";
    /** An export's archive is complete and signed (details: records, objects, bytes, sha256). */
    public static final String EXPORT_COMPLETED = "export.completed";
    /** An export stopped without an archive (details: reason). */
    public static final String EXPORT_FAILED = "export.failed";
    /**
     * An export whose instance stopped was claimed by another, which writes it again from the start (actor: the
     * service; details: attempt).
     */
    public static final String EXPORT_TAKEN_OVER = "export.taken-over";
    /** An Owner was given a signed URL for an export's archive. */
    public static final String EXPORT_DOWNLOADED = "export.downloaded";
    /** An export's archive was streamed through a signed URL. */
    public static final String EXPORT_CONTENT_FETCHED = "export.content-fetched";
    /** A signed URL for an export was refused (expired, altered or for another export): outcome {@code denied}. */
    public static final String EXPORT_SIGNED_URL_REFUSED = "export.signed-url-refused";
    /** A user exported a workspace's audit log (details: format, fromSeq, toSeq). */
    public static final String AUDIT_EXPORTED = "audit.exported";
    /** A user had a workspace's audit log verified (details: intact, sealedThroughSeq, unsealedEntries). */
    public static final String AUDIT_VERIFIED = "audit.verified";
    /** The checkpoint signer refused a head (truncation or rollback): an integrity alarm, in the platform log. */
    public static final String AUDIT_CHECKPOINT_REFUSED = "audit.checkpoint.refused";

    /** An Owner asked for the workspace to be deleted after its grace period (docs/deletion.md). */
    public static final String WORKSPACE_DELETION_REQUESTED = "workspace.deletion-requested";
    /** An Owner withdrew the deletion request during the grace period. */
    public static final String WORKSPACE_DELETION_CANCELLED = "workspace.deletion-cancelled";
    /** The final entry of a deleted workspace's chain: keys shredded, rows and objects deleted; nothing follows. */
    public static final String WORKSPACE_DELETED = "workspace.deleted";
    /** An event for a sealed (deleted) workspace's chain, kept in the platform log instead. */
    public static final String AUDIT_EVENT_AFTER_SEAL = "audit.event-after-seal";

    private AuditAction() {}
}

package dev.spalce.audit.service;

import dev.spalce.auditchain.AuditRecord;
import dev.spalce.auditchain.ChainEntry;
import dev.spalce.auditchain.Checkpoint;
import java.util.Base64;
import java.util.stream.Collectors;

/**
 * CSV rows (RFC 4180) of the export: one row per entry or checkpoint, told apart by {@code record_type}. Cells
 * that a spreadsheet would read as a formula are prefixed with an apostrophe, so that an event's content can
 * never run in an auditor's spreadsheet; the JSON Lines export, not the CSV, is the one to verify.
 */
final class CsvExport {

    static final String HEADER = "record_type,workspace_id,seq,event_id,occurred_at,source,action,actor_type,"
            + "actor_subject,target_type,target_id,outcome,request_id,source_address,details,prev_hash,entry_hash,"
            + "signed_at,key_id,public_key,signature\r\n";

    private CsvExport() {}

    static String entry(ChainEntry entry) {
        AuditRecord r = entry.record();
        String details = r.details().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
        return row(
                "entry",
                r.workspaceId(),
                Long.toString(r.seq()),
                r.eventId(),
                r.occurredAt().toString(),
                r.source(),
                r.action(),
                r.actorType(),
                r.actorSubject(),
                r.targetType(),
                r.targetId(),
                r.outcome(),
                r.requestId(),
                r.sourceAddress(),
                details,
                entry.prevHash().hex(),
                entry.entryHash().hex(),
                null,
                null,
                null,
                null);
    }

    static String checkpoint(Checkpoint checkpoint) {
        return row(
                "checkpoint",
                checkpoint.workspaceId(),
                Long.toString(checkpoint.seq()),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                checkpoint.entryHash().hex(),
                checkpoint.signedAt().toString(),
                checkpoint.keyId(),
                Base64.getEncoder().encodeToString(checkpoint.publicKey()),
                Base64.getEncoder().encodeToString(checkpoint.signature()));
    }

    private static String row(String... cells) {
        StringBuilder row = new StringBuilder(256);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(cell(cells[i]));
        }
        return row.append("\r\n").toString();
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}

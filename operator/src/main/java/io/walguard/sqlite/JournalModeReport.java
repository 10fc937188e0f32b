package io.walguard.sqlite;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.sqlite.report.ToolboxReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code walguard sqlite set-journal-mode} did.
 *
 * @param outcome {@code changed}, {@code unchanged} (already there), {@code gave-up} (others kept the database open
 *     until the timeout) or {@code error}
 * @param headerBefore the journal from the file header before
 * @param headerAfter the journal from the file header after, read from the file once every connection was closed
 * @param attempts how many times exclusive access was tried
 * @param lastBusyReason why the last attempt could not get exclusive access (null when it succeeded at once)
 * @param openers what the lock probe saw before the last attempt
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "file", "target", "outcome", "exitCode", "message", "time", "sqliteVersion",
    "headerBefore", "headerAfter", "headerVersionBytesAfter", "attempts", "waitedMillis", "timeoutMillis",
    "lastBusyReason", "walBytesBefore", "walBytesAfter", "openers"})
public record JournalModeReport(
    String command,
    String file,
    JournalTarget target,
    String outcome,
    int exitCode,
    String message,
    String time,
    String sqliteVersion,
    DatabaseHeader.Journal headerBefore,
    DatabaseHeader.Journal headerAfter,
    String headerVersionBytesAfter,
    Integer attempts,
    Long waitedMillis,
    Long timeoutMillis,
    String lastBusyReason,
    Long walBytesBefore,
    Long walBytesAfter,
    OpenerProbe.State openers)
    implements ToolboxReport {

  @Override
  public List<String> details() {
    List<String> lines = new ArrayList<>();
    lines.add("file:        " + file);
    lines.add("target:      " + target);
    lines.add("header:      " + headerBefore + " before, " + headerAfter + " after"
        + (headerVersionBytesAfter == null ? "" : " (bytes 18-19 = " + headerVersionBytesAfter + ")"));
    if (attempts != null) lines.add("attempts:    " + attempts + " in " + waitedMillis + " ms (timeout " + timeoutMillis + " ms)");
    if (lastBusyReason != null) lines.add("last busy:   " + lastBusyReason);
    if (walBytesBefore != null) lines.add("WAL bytes:   " + walBytesBefore + " before, " + walBytesAfter + " after");
    if (openers != null) lines.add("openers:     " + openers.detail());
    lines.add("SQLite:      " + sqliteVersion);
    return lines;
  }
}

package io.walguard.sqlite;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.sqlite.report.ToolboxReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code walguard sqlite checkpoint} did. The fields {@code busy}, {@code logFrames}, {@code checkpointedFrames},
 * {@code walBytesBefore}, {@code walBytesAfter}, {@code time} and {@code error} have the names of the status field
 * {@code lastCheckpoint}, so the operator can copy them from the termination message.
 *
 * @param walBytesAfter the WAL's size right after the pragma, measured while this connection was still open, so a
 *     checkpoint that did nothing cannot be hidden by the checkpoint SQLite runs when the last connection closes
 * @param walBytesAfterClose the WAL's size after this connection closed (0 when closing removed it)
 * @param walRemovedOnClose true when this was the last connection and closing it checkpointed and deleted the WAL
 * @param pageSize the database's page size: a WAL frame is a 24-byte header and one page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "file", "mode", "outcome", "exitCode", "message", "time", "sqliteVersion",
    "journalMode", "headerJournal", "busy", "logFrames", "checkpointedFrames", "walBytesBefore", "walBytesAfter",
    "walBytesAfterClose", "walRemovedOnClose", "pageSize", "checkpointMillis", "openers"})
public record CheckpointReport(
    String command,
    String file,
    CheckpointMode mode,
    String outcome,
    int exitCode,
    String message,
    String time,
    String sqliteVersion,
    String journalMode,
    DatabaseHeader.Journal headerJournal,
    Integer busy,
    Long logFrames,
    Long checkpointedFrames,
    Long walBytesBefore,
    Long walBytesAfter,
    Long walBytesAfterClose,
    Boolean walRemovedOnClose,
    Integer pageSize,
    Double checkpointMillis,
    OpenerProbe.State openers)
    implements ToolboxReport {

  static final long WAL_HEADER_BYTES = 32;
  static final long FRAME_HEADER_BYTES = 24;

  /** A successful checkpoint that emptied the WAL, after which SQLite's frame counters read 0 of 0. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean walReset() {
    return busy != null && busy == 0 && logFrames != null && logFrames == 0 && walBytesBefore != null
        && walBytesBefore > WAL_HEADER_BYTES && walBytesAfter != null && walBytesAfter == 0;
  }

  @Override
  public List<String> details() {
    List<String> lines = new ArrayList<>();
    lines.add("file:            " + file);
    lines.add("journal mode:    " + journalMode + " (header: " + headerJournal + ")");
    if (busy != null) {
      lines.add("mode:            " + mode);
      lines.add("busy:            " + busy);
      if (walReset()) {
        // SQLite resets the log, and with it both counters, when TRUNCATE empties the WAL.
        lines.add("frames:          all copied, then the WAL was emptied (SQLite reports 0 of 0 after the reset)"
            + (pageSize == null ? "" : "; it held at most " + (walBytesBefore - WAL_HEADER_BYTES) / (pageSize
                + FRAME_HEADER_BYTES) + " frames of " + pageSize + "-byte pages"));
      } else {
        lines.add("log frames:      " + logFrames);
        lines.add("checkpointed:    " + checkpointedFrames);
      }
      lines.add("WAL bytes:       " + walBytesBefore + " before, " + walBytesAfter + " after"
          + (Boolean.TRUE.equals(walRemovedOnClose) ? " (then removed when this last connection closed)" : ""));
      if (checkpointMillis != null) {
        lines.add(String.format(java.util.Locale.ROOT, "checkpoint took: %.1f ms", checkpointMillis));
      }
    }
    if (openers != null) lines.add("other openers:   " + openers.detail());
    lines.add("SQLite:          " + sqliteVersion);
    return lines;
  }
}

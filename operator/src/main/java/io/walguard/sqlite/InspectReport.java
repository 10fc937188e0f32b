package io.walguard.sqlite;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.sqlite.report.ToolboxReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code walguard sqlite inspect} saw.
 *
 * @param headerJournal the journal mode from bytes 18-19 of the file ({@code wal} = 2/2, {@code rollback} = 1/1)
 * @param headerVersionBytes bytes 18 and 19 as read, e.g. {@code 2/2}
 * @param journalMode what {@code PRAGMA journal_mode} says on a read-only connection (null when not asked, see
 *     {@code openMode})
 * @param walBytes size of the {@code -wal} file, null when there is none
 * @param shmBytes size of the {@code -shm} file, null when there is none
 * @param journalBytes size of a rollback {@code -journal} file, null when there is none
 * @param openMode how the database was opened: {@code read-only}; {@code immutable} when the header says WAL and
 *     there is no {@code -wal} (nothing in a WAL to read, and a read-only open would create the missing files); or
 *     {@code private-wal-index} when there is a {@code -wal} but no {@code -shm}: the WAL is read through an index in
 *     this process's memory, without locks, so no {@code -shm} is created
 * @param quickCheck the lines of {@code PRAGMA quick_check} (just {@code ok} for a sound file), null when not asked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "file", "outcome", "exitCode", "message", "time", "sqliteVersion", "headerJournal",
    "headerVersionBytes", "journalMode", "pageSize", "pageCount", "freelistCount", "databaseBytes", "walBytes",
    "shmBytes", "journalBytes", "openMode", "openers", "quickCheck", "notes"})
public record InspectReport(
    String command,
    String file,
    String outcome,
    int exitCode,
    String message,
    String time,
    String sqliteVersion,
    DatabaseHeader.Journal headerJournal,
    String headerVersionBytes,
    String journalMode,
    Integer pageSize,
    Long pageCount,
    Long freelistCount,
    Long databaseBytes,
    Long walBytes,
    Long shmBytes,
    Long journalBytes,
    String openMode,
    OpenerProbe.State openers,
    List<String> quickCheck,
    List<String> notes)
    implements ToolboxReport {

  @Override
  public List<String> details() {
    List<String> lines = new ArrayList<>();
    lines.add("file:          " + file);
    lines.add("journal mode:  header " + headerJournal + (headerVersionBytes == null ? "" : " (bytes 18-19 = " + headerVersionBytes + ")")
        + ", pragma " + (journalMode == null ? "not asked" : journalMode));
    lines.add("pages:         " + pageCount + " x " + pageSize + " bytes, " + freelistCount + " free");
    lines.add("files:         database " + databaseBytes + " bytes, -wal " + present(walBytes) + ", -shm "
        + present(shmBytes) + ", -journal " + present(journalBytes));
    lines.add("other openers: " + openers.detail());
    lines.add("  (method:     " + openers.method() + ")");
    if (quickCheck != null) lines.add("quick_check:   " + String.join("; ", quickCheck));
    lines.add("opened:        " + openMode);
    lines.add("SQLite:        " + sqliteVersion);
    if (notes != null) notes.forEach(n -> lines.add("note:          " + n));
    return lines;
  }

  private static String present(Long bytes) {
    return bytes == null ? "absent" : bytes + " bytes";
  }
}

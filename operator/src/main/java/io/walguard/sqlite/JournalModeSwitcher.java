package io.walguard.sqlite;

import io.walguard.sqlite.report.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Converts a database between WAL and a rollback journal. SQLite makes the switch itself, atomically: leaving WAL
 * it checkpoints every frame into the database, rewrites the header and deletes the WAL under an exclusive lock,
 * or fails with SQLITE_BUSY and changes nothing. This class adds what a one-shot Job needs around it: a TRUNCATE
 * checkpoint first (so a busy reader shows up as a reason before the switch is even tried), retries with backoff
 * while other processes hold the database, a bound on the wait, and a verification from the file header once every
 * connection is closed.
 */
public final class JournalModeSwitcher {

  private final SqliteVersion library;
  private final Supplier<Backoff> backoffs;

  public JournalModeSwitcher(SqliteVersion library) {
    this(library, Backoff::standard);
  }

  JournalModeSwitcher(SqliteVersion library, Supplier<Backoff> backoffs) {
    this.library = library;
    this.backoffs = backoffs;
  }

  public JournalModeReport switchTo(Path file, JournalTarget target, Duration timeout) throws ToolboxException {
    DatabaseFiles files = DatabaseFiles.existing(file, "set-journal-mode");
    DatabaseHeader before = DatabaseHeader.read(files.database());
    if (before == null) {
      throw new ToolboxException(files.database() + " is an empty file: it has no header yet to convert; SQLite "
          + "writes it with the first transaction, so let the application create the database first");
    }
    DatabaseHeader.Journal headerBefore = before.journal();
    long walBefore = files.walBytes();
    if (headerBefore == target.headerJournal() && !(target.headerJournal() == DatabaseHeader.Journal.rollback
        && files.walExists())) {
      String why = target.isWal()
          ? "the database is already in WAL mode (header bytes 18-19 = " + before.versionBytes() + ")"
          : "the database already uses a rollback journal (header bytes 18-19 = " + before.versionBytes() + "); "
              + "DELETE, TRUNCATE and PERSIST are chosen by each connection, not stored in the file";
      return report(files, target, "unchanged", ExitStatus.OK, why + ": nothing to do", headerBefore, before, null,
          0, timeout, null, walBefore, null);
    }

    Backoff backoff = backoffs.get();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int attempts = 0;
    String lastBusy = null;
    OpenerProbe.State openers = null;
    while (true) {
      attempts++;
      // Probe while no connection of ours is open: closing the probe's descriptor would drop that connection's locks.
      openers = OpenerProbe.probe(files, DatabaseHeader.journalOf(DatabaseHeader.read(files.database())));
      String busy = attempt(files, target);
      if (busy == null) break;
      lastBusy = busy + (Boolean.TRUE.equals(openers.otherOpeners()) ? " (" + openers.detail() + ")" : "");
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        DatabaseHeader now = DatabaseHeader.read(files.database());
        return report(files, target, "gave-up", ExitStatus.NOT_ACHIEVED,
            "gave up after " + attempts + " attempts in " + waited + " ms: " + lastBusy + ". The database is "
                + "unchanged (still " + DatabaseHeader.journalOf(now) + "). Switching the journal mode needs every "
                + "other process to close the database: stop or scale down the application and run again, or raise "
                + "--timeout",
            headerBefore, now, attempts, waited, timeout, lastBusy, walBefore, openers);
      }
      sleep(backoff.nextWait(Duration.ofNanos(remaining)));
    }

    long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
    DatabaseHeader after = DatabaseHeader.read(files.database());
    DatabaseHeader.Journal headerAfter = DatabaseHeader.journalOf(after);
    boolean walGone = !target.isWal() && !files.walExists();
    if (headerAfter != target.headerJournal() || (!target.isWal() && !walGone)) {
      throw new ToolboxException("SQLite reported journal_mode " + target + " for " + files.database()
          + " but the file header says " + headerAfter + (walGone || target.isWal() ? "" : " and the -wal is still there")
          + "; inspect the database before the application opens it again");
    }
    return report(files, target, "changed", ExitStatus.OK,
        "converted to " + target + ": the header now says " + headerAfter + " (bytes 18-19 = " + after.versionBytes()
            + ")" + (target.isWal() ? "" : " and every WAL frame is in the database"),
        headerBefore, after, attempts, waited, timeout, lastBusy, walBefore, openers);
  }

  /** One try at the switch; null when it took effect, else why it could not. */
  private String attempt(DatabaseFiles files, JournalTarget target) throws ToolboxException {
    try (Connection c = Connections.readWrite(files.database(), Duration.ZERO)) {
      if (!target.isWal() && "wal".equalsIgnoreCase(Connections.text(c, "pragma journal_mode"))) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("pragma wal_checkpoint(TRUNCATE)")) {
          r.next();
          if (r.getInt(1) != 0) {
            return "checkpoint TRUNCATE was busy: another connection is reading or writing ("
                + r.getLong(3) + " of " + r.getLong(2) + " frames copied)";
          }
        }
      }
      String result = Connections.text(c, "pragma journal_mode=" + target.name().toLowerCase(Locale.ROOT));
      if (!target.name().equalsIgnoreCase(result)) {
        return "SQLite kept journal_mode " + result + " (another connection holds the database)";
      }
      return null;
    } catch (SQLException e) {
      if (Connections.isBusy(e)) return "the database is locked by another connection (" + e.getMessage() + ")";
      throw new ToolboxException("set-journal-mode on " + files.database() + " failed: " + e.getMessage()
          + Checkpointer.hint(e), e);
    }
  }

  private JournalModeReport report(DatabaseFiles files, JournalTarget target, String outcome, int exit,
      String message, DatabaseHeader.Journal headerBefore, DatabaseHeader after, Integer attempts, long waited,
      Duration timeout, String lastBusy, long walBefore, OpenerProbe.State openers) {
    return new JournalModeReport("set-journal-mode", files.database().toString(), target, outcome, exit, message,
        Timestamps.now(), library.toString(), headerBefore, DatabaseHeader.journalOf(after),
        after == null ? null : after.versionBytes(), attempts, waited, timeout.toMillis(), lastBusy, walBefore,
        files.walBytes(), openers);
  }

  private static void sleep(Duration d) throws ToolboxException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolboxException("interrupted while waiting for exclusive access", e);
    }
  }
}

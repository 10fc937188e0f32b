package io.walguard.sqlite;

import io.walguard.sqlite.report.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/** {@code PRAGMA wal_checkpoint(MODE)} on an existing database, with the WAL measured around it. */
public final class Checkpointer {

  private final SqliteVersion library;

  public Checkpointer(SqliteVersion library) {
    this.library = library;
  }

  public CheckpointReport checkpoint(Path file, CheckpointMode mode, Duration busyTimeout) throws ToolboxException {
    DatabaseFiles files = DatabaseFiles.existing(file, "checkpoint");
    DatabaseHeader.Journal header = DatabaseHeader.journalOf(DatabaseHeader.read(files.database()));
    // Probed before our own connection exists: closing the probe's descriptor would drop our connection's locks.
    OpenerProbe.State openers = OpenerProbe.probe(files, header);
    long walBefore = files.walBytes();

    Connection c = null;
    try {
      c = Connections.readWrite(files.database(), busyTimeout);
      String journalMode = Connections.text(c, "pragma journal_mode");
      if (!"wal".equalsIgnoreCase(journalMode)) {
        return report(files, mode, "not-wal", ExitStatus.OK,
            "the database is not in WAL mode (journal_mode " + journalMode + "): there is no WAL to checkpoint",
            journalMode, header, null, null, null, walBefore, null, null, null, null, null, openers);
      }
      long start = System.nanoTime();
      int busy;
      long logFrames;
      long checkpointed;
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("pragma wal_checkpoint(" + mode.name() + ")")) {
        r.next();
        busy = r.getInt(1);
        logFrames = r.getLong(2);
        checkpointed = r.getLong(3);
      }
      double millis = (System.nanoTime() - start) / 1e6;
      long walAfter = files.walBytes();
      int pageSize = (int) Connections.number(c, "pragma page_size");
      c.close();
      c = null;
      boolean removedOnClose = walAfter > 0 && !files.walExists();
      long walAfterClose = files.walBytes();
      return judge(files, mode, journalMode, header, busy, logFrames, checkpointed, walBefore, walAfter, walAfterClose,
          removedOnClose, pageSize, millis, openers);
    } catch (SQLException e) {
      if (Connections.isBusy(e)) {
        return report(files, mode, "busy", ExitStatus.NOT_ACHIEVED,
            "another connection holds the database (" + e.getMessage() + ") and did not let go within the busy timeout "
                + busyTimeout.toMillis() + " ms; nothing was checkpointed",
            null, header, 1, null, null, walBefore, files.walBytes(), null, null, null, null, openers);
      }
      throw new ToolboxException("checkpoint of " + files.database() + " failed: " + e.getMessage()
          + hint(e), e);
    } finally {
      closeQuietly(c);
    }
  }

  private CheckpointReport judge(DatabaseFiles files, CheckpointMode mode, String journalMode,
      DatabaseHeader.Journal header, int busy, long logFrames, long checkpointed, long walBefore, long walAfter,
      long walAfterClose, boolean removedOnClose, int pageSize, double millis, OpenerProbe.State openers) {
    String sizes = "WAL " + walBefore + " -> " + walAfter + " bytes";
    String outcome;
    int exit;
    String message;
    if (busy != 0) {
      outcome = "busy";
      exit = ExitStatus.NOT_ACHIEVED;
      message = "checkpoint " + mode + " was blocked by another connection (a reader still using old frames or a "
          + "writer): " + checkpointed + " of " + logFrames + " frames copied, " + sizes;
    } else if (mode != CheckpointMode.TRUNCATE && checkpointed < logFrames) {
      outcome = "incomplete";
      exit = ExitStatus.NOT_ACHIEVED;
      message = "checkpoint " + mode + " copied " + checkpointed + " of " + logFrames + " frames; the rest are still "
          + "in use by a reader, " + sizes;
    } else {
      outcome = "ok";
      exit = ExitStatus.OK;
      message = mode == CheckpointMode.TRUNCATE
          ? "checkpoint TRUNCATE copied every frame and emptied the WAL, " + sizes
          : "checkpoint " + mode + " copied all " + logFrames + " frames, " + sizes
              + (walAfter > 0 ? " (only TRUNCATE shrinks the file; SQLite reuses it from the start)" : "");
    }
    if (removedOnClose) {
      message += "; closing this last connection then removed the WAL";
    }
    return report(files, mode, outcome, exit, message, journalMode, header, busy, logFrames, checkpointed, walBefore,
        walAfter, walAfterClose, removedOnClose, pageSize, millis, openers);
  }

  private CheckpointReport report(DatabaseFiles files, CheckpointMode mode, String outcome, int exit, String message,
      String journalMode, DatabaseHeader.Journal header, Integer busy, Long logFrames, Long checkpointed,
      Long walBefore, Long walAfter, Long walAfterClose, Boolean removedOnClose, Integer pageSize, Double millis,
      OpenerProbe.State openers) {
    return new CheckpointReport("checkpoint", files.database().toString(), mode, outcome, exit, message,
        Timestamps.now(), library.toString(), journalMode == null ? null : journalMode.toLowerCase(Locale.ROOT),
        header, busy, logFrames, checkpointed, walBefore, walAfter, walAfterClose, removedOnClose, pageSize,
        millis == null ? null : Math.round(millis * 1000) / 1000.0, openers);
  }

  static String hint(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return switch (primary) {
      case 8 -> " (the file, its directory or its -wal/-shm is read-only for this user: a checkpoint must write "
          + "the database; mount the volume read-write and run as its owner)";
      case 14 -> " (SQLite could not open the database or create its -wal/-shm: check that the directory is "
          + "writable by this user)";
      case 11, 26 -> " (the file is damaged or not a database)";
      default -> "";
    };
  }

  static void closeQuietly(Connection c) {
    if (c == null) return;
    try {
      c.close();
    } catch (SQLException ignored) {
      // Closing only releases; the report already says what happened.
    }
  }
}

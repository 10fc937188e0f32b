package io.walguard.sqlite;

import io.walguard.sqlite.report.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Looks at a database without changing it: the header, the companions, the locks, and the pragmas. */
public final class Inspector {

  /** quick_check stops after this many problems, which is plenty to say a file is damaged. */
  static final int QUICK_CHECK_LIMIT = 20;

  private final SqliteVersion library;

  public Inspector(SqliteVersion library) {
    this.library = library;
  }

  public InspectReport inspect(Path file, boolean quickCheck) throws ToolboxException {
    DatabaseFiles files = DatabaseFiles.existing(file, "inspect");
    DatabaseHeader header = DatabaseHeader.read(files.database());
    DatabaseHeader.Journal headerJournal = DatabaseHeader.journalOf(header);
    OpenerProbe.State openers = OpenerProbe.probe(files, headerJournal);
    Long walBytes = DatabaseFiles.sizeIfPresent(files.wal());
    Long shmBytes = DatabaseFiles.sizeIfPresent(files.shm());
    Long journalBytes = DatabaseFiles.sizeIfPresent(files.journal());
    List<String> notes = new ArrayList<>();

    // A read-only connection to a WAL database creates a missing -wal and a missing -shm, and leaves them behind.
    // Without a -wal there is nothing in a WAL to read: open immutable. With a -wal but no -shm, no connection has
    // the database open through shared memory (every one maps the -shm; a crash left the WAL, or a connection in
    // locking_mode=EXCLUSIVE keeps its index in its own memory): read the WAL with a private index.
    boolean wal = headerJournal == DatabaseHeader.Journal.wal;
    String openMode = !wal ? "read-only" : walBytes == null ? "immutable" : shmBytes == null ? "private-wal-index"
        : "read-only";
    if (openMode.equals("immutable")) {
      notes.add("no -wal: opened immutable=1 so nothing is created; journal_mode is taken from the header");
    } else if (openMode.equals("private-wal-index")) {
      notes.add("a -wal but no -shm: no connection has the database open through shared memory; read the WAL with"
          + " an index in this process's memory and no locks (vfs unix-none, locking_mode exclusive), so no -shm is"
          + " created");
    }
    boolean immutable = openMode.equals("immutable");
    if (journalBytes != null && journalBytes > 0 && headerJournal == DatabaseHeader.Journal.rollback) {
      notes.add("a non-empty -journal exists: a transaction is in progress, or a crashed one left a hot journal "
          + "that the next writer will roll back");
    }

    String journalMode = null;
    Integer pageSize = header == null ? null : header.pageSize();
    Long pageCount = null;
    Long freelist = null;
    List<String> check = null;
    try (Connection c = immutable ? Connections.immutable(files.database())
        : openMode.equals("private-wal-index") ? Connections.privateWalIndex(files.database())
        : Connections.readOnly(files.database())) {
      if (!immutable) journalMode = Connections.text(c, "pragma journal_mode").toLowerCase(Locale.ROOT);
      pageSize = (int) Connections.number(c, "pragma page_size");
      pageCount = Connections.number(c, "pragma page_count");
      freelist = Connections.number(c, "pragma freelist_count");
      if (quickCheck) check = quickCheck(c);
    } catch (SQLException e) {
      if (Connections.isBusy(e)) {
        notes.add("the pragmas could not run: " + e.getMessage() + " (another process holds an exclusive lock)");
      } else if (quickCheck && isDamage(e)) {
        check = List.of(e.getMessage());
      } else {
        throw new ToolboxException("cannot read " + files.database() + ": " + e.getMessage() + Checkpointer.hint(e), e);
      }
    }

    boolean sound = check == null || (check.size() == 1 && "ok".equals(check.get(0)));
    String message = switch (headerJournal) {
      case wal -> walBytes == null ? "WAL database with no -wal file" : "WAL database with " + walBytes + " bytes in the WAL";
      case rollback -> "rollback-journal database";
      case empty -> "empty file (a database with no pages yet)";
      case unknown -> "database with unexpected header bytes 18-19 (" + header.versionBytes() + ")";
    };
    message += "; " + openers.detail();
    if (check != null) message += sound ? "; quick_check ok" : "; quick_check found problems";
    return new InspectReport("inspect", files.database().toString(), sound ? "ok" : "corrupt",
        sound ? ExitStatus.OK : ExitStatus.NOT_ACHIEVED, message, Timestamps.now(), library.toString(), headerJournal,
        header == null ? null : header.versionBytes(), journalMode, pageSize, pageCount, freelist,
        DatabaseFiles.sizeIfPresent(files.database()), walBytes, shmBytes, journalBytes, openMode, openers, check,
        notes.isEmpty() ? null : notes);
  }

  private static List<String> quickCheck(Connection c) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("pragma quick_check(" + QUICK_CHECK_LIMIT + ")")) {
      while (r.next()) lines.add(r.getString(1));
    }
    return lines;
  }

  private static boolean isDamage(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return primary == 11 || primary == 26;
  }
}

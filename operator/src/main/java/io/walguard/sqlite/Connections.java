package io.walguard.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens connections the way the toolbox needs them: never creating the database, and by URI so that any character
 * in a path ({@code ?}, {@code #}, {@code %}, spaces) reaches SQLite unchanged.
 */
public final class Connections {

  private Connections() {}

  /** Read-write, without {@code SQLITE_OPEN_CREATE}, waiting up to {@code busyTimeout} for locks. */
  public static Connection readWrite(Path database, Duration busyTimeout) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis()));
    return config.createConnection(url(database, null));
  }

  /**
   * Read-only. A read-only connection to a WAL database still creates the {@code -wal} and {@code -shm} files when
   * they are missing; {@link #immutable} avoids that when there is no WAL to read.
   */
  public static Connection readOnly(Path database) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setReadOnly(true);
    return config.createConnection(url(database, null));
  }

  /**
   * Read-only with {@code immutable=1}: SQLite takes no locks and never looks at (or creates) the WAL or the -shm.
   * Only correct when nothing is in a WAL and nobody writes while it is open.
   */
  public static Connection immutable(Path database) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setReadOnly(true);
    return config.createConnection(url(database, "immutable=1"));
  }

  /**
   * Read-only, reading the WAL through a wal-index in this connection's own memory, without taking locks: the VFS
   * {@code unix-none} and {@code locking_mode=EXCLUSIVE}, with which SQLite never opens the {@code -shm}. A plain
   * read-only connection creates a missing {@code -shm} and leaves it behind; this one creates nothing. Only for a
   * WAL that no connection has open through a {@code -shm}.
   */
  public static Connection privateWalIndex(Path database) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setReadOnly(true);
    config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
    return config.createConnection(url(database, "vfs=unix-none"));
  }

  static String url(Path database, String query) {
    String uri = "file:" + database.toAbsolutePath().toUri().getRawPath();
    return "jdbc:sqlite:" + uri + (query == null ? "" : "?" + query);
  }

  /** The first column of the first row of a query, as text (null when there is no row). */
  public static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  public static long number(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** True when an error means another connection holds a lock we need (SQLITE_BUSY or SQLITE_LOCKED, any variant). */
  public static boolean isBusy(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
  }
}

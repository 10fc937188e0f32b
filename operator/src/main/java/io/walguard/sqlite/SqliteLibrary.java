package io.walguard.sqlite;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQLite library that sqlite-jdbc loaded, and the guard that refuses an unsafe one. */
public final class SqliteLibrary {

  private SqliteLibrary() {}

  /** The version of the loaded native library, asked from an in-memory database so no file is touched. */
  public static SqliteVersion loadedVersion() throws ToolboxException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select sqlite_version()")) {
      r.next();
      return SqliteVersion.parse(r.getString(1));
    } catch (SQLException | LinkageError e) {
      throw new ToolboxException("could not load the SQLite native library (" + e.getMessage() + "); on a read-only "
          + "root filesystem set -Dorg.sqlite.tmpdir to a writable directory such as an emptyDir volume", e);
    }
  }

  /** Returns the loaded version, or refuses to go on when it has the WAL-reset bug or predates the fix. */
  public static SqliteVersion requireSafe() throws ToolboxException {
    SqliteVersion v = loadedVersion();
    String refusal = refusal(v);
    if (refusal != null) throw new ToolboxException(refusal);
    return v;
  }

  /** Why this version is refused, or null when it is safe. */
  public static String refusal(SqliteVersion v) {
    if (v.isSafe()) return null;
    String why = v.hasWalResetBug()
        ? "it has the WAL-reset bug (SQLite 3.7.0 to 3.51.2), which can corrupt a WAL database when a checkpoint "
            + "resets the WAL while another connection writes"
        : "it predates the fix for the WAL-reset bug";
    return "refusing to run on SQLite " + v + ": " + why + "; walguard needs SQLite " + SqliteVersion.MINIMUM_SAFE
        + " or newer (use the walguard image, or an sqlite-jdbc that bundles " + SqliteVersion.MINIMUM_SAFE
        + " or later)";
  }
}

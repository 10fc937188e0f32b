package io.walguard.sqlite.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Short-lived connections for test set-up and checks: each opens, does its work and closes. */
public final class Sql {
  private Sql() {}

  public static void exec(Path db, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("pragma busy_timeout=5000");
      for (String sql : statements) s.execute(sql);
    }
  }

  /** A WAL database with table t holding {@code rows} rows of about 1 KiB. */
  public static void createWal(Path db, int rows) throws SQLException {
    exec(db, "pragma journal_mode=wal", "create table t(id integer primary key, pad blob)",
        insertRows(rows));
  }

  public static void createRollback(Path db, int rows) throws SQLException {
    exec(db, "pragma journal_mode=delete", "create table t(id integer primary key, pad blob)",
        insertRows(rows));
  }

  /** Inserts {@code rows} rows of about 1 KiB into t in one statement. */
  public static String insertRows(int rows) {
    return "insert into t(pad) with recursive n(i) as (select 1 union all select i + 1 from n where i < " + rows
        + ") select randomblob(1000) from n";
  }

  public static List<String> column(Path db, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("pragma busy_timeout=5000");
      List<String> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery(query)) {
        while (r.next()) out.add(r.getString(1));
      }
      return out;
    }
  }

  public static String integrityCheck(Path db) throws SQLException {
    return String.join("; ", column(db, "pragma integrity_check"));
  }

  public static long count(Path db) throws SQLException {
    return Long.parseLong(column(db, "select count(*) from t").get(0));
  }
}

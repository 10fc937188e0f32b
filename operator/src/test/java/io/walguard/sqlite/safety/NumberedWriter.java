package io.walguard.sqlite.safety;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An application that commits numbered rows 1, 2, 3 ... into table {@code rows} and prints {@code committed N} only
 * after the commit returned: every printed number is a row it saw committed. It keeps one connection ({@code keep})
 * or opens one per commit ({@code reopen}, which leaves moments where nobody has the database open, so a journal
 * switch can get through). It uses whatever journal mode the file is in. It runs until killed.
 */
public final class NumberedWriter {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:sqlite:" + args[0];
    boolean reopen = args[1].equals("reopen");
    Connection c = open(url);
    long next;
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select coalesce(max(n), 0) + 1 from rows")) {
      r.next();
      next = r.getLong(1);
    }
    System.out.println("ready " + next);
    while (true) {
      try {
        if (reopen && c == null) c = open(url);
        try (PreparedStatement p = c.prepareStatement("insert into rows(n, pad) values (?, randomblob(600))")) {
          p.setLong(1, next);
          p.executeUpdate();
        }
        System.out.println("committed " + next);
        next++;
        if (reopen) {
          c.close();
          c = null;
        }
      } catch (SQLException e) {
        // A busy moment (a checkpoint or a journal switch holds the lock past the timeout): try the same number again.
        System.out.println("error " + e.getErrorCode() + " " + e.getMessage());
        if (reopen && c != null) {
          c.close();
          c = null;
        }
      }
      Thread.sleep(1);
    }
  }

  private static Connection open(String url) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("pragma busy_timeout=10000");
    }
    return c;
  }
}

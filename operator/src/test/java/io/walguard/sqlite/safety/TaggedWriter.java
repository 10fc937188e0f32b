package io.walguard.sqlite.safety;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One of two applications writing the same database: opens it, says {@code ready}, waits for {@code go}, then
 * commits COUNT rows tagged TAG, one transaction each, and says {@code done COMMITTED ERRORS LAST-ERROR}.
 */
public final class TaggedWriter {
  public static void main(String[] args) throws Exception {
    String tag = args[1];
    int count = Integer.parseInt(args[2]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int committed = 0;
    int errors = 0;
    String last = "-";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement s = c.createStatement()) {
      s.execute("pragma busy_timeout=10000");
      // No fsync: nothing here loses power, and the question is what the two processes see of each other.
      s.execute("pragma synchronous=off");
      s.executeQuery("select count(*) from t").close();
      System.out.println("ready");
      in.readLine();
      try (PreparedStatement p = c.prepareStatement("insert into t(tag, i, pad) values (?, ?, randomblob(200))")) {
        for (int i = 0; i < count; i++) {
          try {
            // BEGIN IMMEDIATE takes the write lock up front, so two writers wait for each other (busy timeout)
            // instead of deadlocking on an upgrade from a read lock.
            s.execute("begin immediate");
            p.setString(1, tag);
            p.setInt(2, i);
            p.executeUpdate();
            s.execute("commit");
            committed++;
          } catch (SQLException e) {
            errors++;
            last = e.getMessage().replace('\n', ' ');
            rollbackQuietly(s);
          }
        }
      }
    } catch (SQLException e) {
      errors++;
      last = e.getMessage().replace('\n', ' ');
    }
    System.out.println("done " + committed + " " + errors + " " + last);
  }

  private static void rollbackQuietly(Statement s) {
    try {
      s.execute("rollback");
    } catch (SQLException ignored) {
      // No transaction was open.
    }
  }
}

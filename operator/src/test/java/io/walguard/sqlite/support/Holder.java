package io.walguard.sqlite.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A second process that keeps a database open, as an application would: {@code begin} starts a read transaction
 * (and reads, so it holds a snapshot), {@code commit} ends it but stays connected, {@code count} reads the number of
 * rows of table {@code t}, {@code quit} closes. Answers one line per command.
 */
public final class Holder {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement s = c.createStatement()) {
      s.execute("pragma busy_timeout=5000");
      System.out.println("ready " + count(s));
      for (String line; (line = in.readLine()) != null; ) {
        try {
          switch (line.trim()) {
            case "begin" -> {
              s.execute("begin");
              System.out.println("reading " + count(s));
            }
            case "commit" -> {
              s.execute("commit");
              System.out.println("committed");
            }
            case "count" -> System.out.println("count " + count(s));
            case "integrity" -> {
              try (ResultSet r = s.executeQuery("pragma integrity_check")) {
                r.next();
                System.out.println("integrity " + r.getString(1));
              }
            }
            case "quit" -> {
              return;
            }
            default -> System.out.println("error unknown " + line);
          }
        } catch (Exception e) {
          System.out.println("error " + e.getMessage());
        }
      }
    }
  }

  private static long count(Statement s) throws Exception {
    try (ResultSet r = s.executeQuery("select count(*) from t")) {
      r.next();
      return r.getLong(1);
    }
  }
}

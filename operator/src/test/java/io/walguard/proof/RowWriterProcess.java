package io.walguard.proof;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A separate JVM that plays one application process: it opens a SQLite database with sqlite-jdbc and commits numbered
 * rows one transaction at a time, as told on stdin. Every commit that SQLite acknowledged is reported on stdout, so the
 * parent knows exactly which rows this process saw committed.
 *
 * <p>Protocol, one command a line; every command is answered with one final line:
 *
 * <pre>
 *   open JDBC_URL                          -> ready
 *   write WRITER ROWS CHECKPOINT_EVERY     -> "c SEQ" for each acknowledged commit, "e SEQ MESSAGE" for each failed one,
 *                                             then done
 *   close                                  -> closed
 *   exit                                   (the process ends)
 * </pre>
 *
 * <p>A checkpoint every CHECKPOINT_EVERY commits (0 = never) runs {@code PRAGMA wal_checkpoint(RESTART)} in WAL mode:
 * a successful RESTART makes the next writer start the log over from its first frame, which is the moment where two
 * processes with separate wal-indexes disagree about which frames are live.
 */
public final class RowWriterProcess {

  /** Stop a write command after this many failed transactions: the database is broken and the point is made. */
  private static final int MAX_ERRORS = 25;

  private Connection connection;
  private final PrintStream out;

  private RowWriterProcess(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    RowWriterProcess process = new RowWriterProcess(out);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ", 2);
      switch (words[0]) {
        case "open" -> process.open(words[1]);
        case "write" -> process.write(words[1].split(" "));
        case "close" -> process.close();
        case "exit" -> {
          process.close();
          return;
        }
        default -> out.println("unknown command " + words[0]);
      }
      out.flush();
    }
  }

  private void open(String url) {
    try {
      connection = DriverManager.getConnection(url);
      try (Statement statement = connection.createStatement()) {
        // The writers wait for each other's locks where locks work; durability across power loss is not what this
        // measures, so commits do not wait for fsync.
        statement.execute("PRAGMA busy_timeout=2000");
        statement.execute("PRAGMA synchronous=OFF");
        // A first read transaction opens the journal or the WAL and, in WAL mode, maps this process's wal-index.
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
          rows.next();
        }
      }
      out.println("ready");
    } catch (SQLException e) {
      out.println("failed " + oneLine(e));
    }
  }

  private void write(String[] args) {
    String writer = args[0];
    int rows = Integer.parseInt(args[1]);
    int checkpointEvery = Integer.parseInt(args[2]);
    int errors = 0;
    try (Statement statement = connection.createStatement();
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO t(writer, seq, pad) VALUES (?, ?, randomblob(120))")) {
      boolean wal = "wal".equalsIgnoreCase(journalMode(statement));
      for (int seq = 1; seq <= rows && errors < MAX_ERRORS; seq++) {
        try {
          statement.execute("BEGIN IMMEDIATE");
          insert.setString(1, writer);
          insert.setInt(2, seq);
          insert.executeUpdate();
          statement.execute("COMMIT");
          out.println("c " + seq);
        } catch (SQLException e) {
          errors++;
          out.println("e " + seq + " " + oneLine(e));
          rollbackQuietly(statement);
        }
        if (wal && checkpointEvery > 0 && seq % checkpointEvery == 0) {
          try (ResultSet ignored = statement.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
            // The result (busy, log frames, checkpointed frames) does not matter: the attempt is the workload.
          } catch (SQLException e) {
            errors++;
            out.println("e " + seq + " checkpoint: " + oneLine(e));
          }
        }
      }
    } catch (SQLException e) {
      out.println("e 0 " + oneLine(e));
    }
    out.println("done");
  }

  private static String journalMode(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
      return rows.next() ? rows.getString(1) : "";
    }
  }

  private static void rollbackQuietly(Statement statement) {
    try {
      statement.execute("ROLLBACK");
    } catch (SQLException alreadyRolledBack) {
      // SQLite rolls some failures back by itself; there is nothing left to undo then.
    }
  }

  private void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        out.println("e 0 close: " + oneLine(e));
      }
      connection = null;
    }
    out.println("closed");
  }

  private static String oneLine(SQLException e) {
    return String.valueOf(e.getMessage()).replace('\n', ' ');
  }
}

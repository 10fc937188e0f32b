package io.walguard.sqlite.safety;

import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Two processes write one database while each sees its own wal-index: what SQLite's WAL does when the {@code -shm}
 * mapping is not shared, as between two nodes on a network filesystem.
 *
 * <p>The first process opens {@code a.db}. The second opens {@code b.db}, a hard link to the same file, whose
 * {@code b.db-wal} is a hard link to {@code a.db-wal}. So both write the same database file and the same WAL file
 * and share every lock on the database file, but each keeps its own {@code -shm}, named after the name it opened:
 * its own wal-index and its own WAL locks. In rollback-journal mode there is no wal-index; the locks on the shared
 * database file are all the coordination SQLite needs.
 *
 * <p>Alternatively the second process opens the same {@code a.db} through a FUSE view of the directory (bindfs).
 * Then what is shared depends on the FUSE options: see docs/sqlite-toolbox.md.
 */
public final class SharedMemoryPremise {

  /** What one round did. {@code lost} counts rows a writer saw committed that are not in the database. */
  public record Round(String journalMode, int committedA, int committedB, long foundA, long foundB, int errors,
      String lastError, String integrity) {

    public long lost() {
      return Math.max(0, committedA - foundA) + Math.max(0, committedB - foundB);
    }

    /** Silent damage: rows lost or a damaged file. */
    public boolean damaged() {
      return lost() > 0 || !integrity.equals("ok");
    }

    public String summary() {
      return journalMode + ": A committed " + committedA + " (found " + foundA + "), B committed " + committedB
          + " (found " + foundB + "), " + lost() + " lost, " + errors + " errors reported to the writers"
          + (errors > 0 ? " (last: " + lastError + ")" : "") + ", integrity_check: " + integrity;
    }
  }

  private SharedMemoryPremise() {}

  /** One round in a fresh directory, the second writer through a hard link: both commit {@code rows} rows. */
  public static Round round(Path dir, String journalMode, int rows) throws Exception {
    return round(dir, journalMode, rows, null);
  }

  /**
   * One round; when {@code view} is not null the second writer opens {@code a.db} through it (a FUSE view of
   * {@code dir}, such as bindfs) instead of through a hard link.
   */
  public static Round round(Path dir, String journalMode, int rows, Path view) throws Exception {
    Files.createDirectories(dir);
    Path a = dir.resolve("a.db");
    Path b = view == null ? dir.resolve("b.db") : view.resolve("a.db");
    Sql.exec(a, "pragma journal_mode=" + journalMode,
        "create table t(id integer primary key, tag text, i integer, pad blob)");
    if (view == null) {
      Files.createLink(b, a);
      if (journalMode.equalsIgnoreCase("wal")) {
        Files.createFile(dir.resolve("a.db-wal"));
        Files.createLink(dir.resolve("b.db-wal"), dir.resolve("a.db-wal"));
      }
    }
    String[] doneA;
    String[] doneB;
    try (ChildJvm writerA = ChildJvm.start(TaggedWriter.class, a.toString(), "A", Integer.toString(rows));
        ChildJvm writerB = ChildJvm.start(TaggedWriter.class, b.toString(), "B", Integer.toString(rows))) {
      // A writer that cannot even open the database says "done" at once instead of "ready".
      String firstA = writerA.readLine(Duration.ofSeconds(60));
      String firstB = writerB.readLine(Duration.ofSeconds(60));
      if (firstA.equals("ready")) writerA.send("go");
      if (firstB.equals("ready")) writerB.send("go");
      doneA = (firstA.equals("ready") ? writerA.readLine(Duration.ofMinutes(5)) : firstA).split(" ", 4);
      doneB = (firstB.equals("ready") ? writerB.readLine(Duration.ofMinutes(5)) : firstB).split(" ", 4);
    }
    if (view == null) {
      Files.deleteIfExists(b);
      Files.deleteIfExists(dir.resolve("b.db-wal"));
      Files.deleteIfExists(dir.resolve("b.db-shm"));
    }
    String integrity;
    long foundA;
    long foundB;
    try {
      integrity = String.join("; ", Sql.column(a, "pragma integrity_check")).replace('\n', ' ');
      List<String> counts = Sql.column(a,
          "select (select count(*) from t where tag = 'A') || ' ' || (select count(*) from t where tag = 'B')");
      String[] c = counts.get(0).split(" ");
      foundA = Long.parseLong(c[0]);
      foundB = Long.parseLong(c[1]);
    } catch (SQLException e) {
      integrity = "unreadable: " + e.getMessage();
      foundA = 0;
      foundB = 0;
    }
    int errors = Integer.parseInt(doneA[2]) + Integer.parseInt(doneB[2]);
    String lastError = !doneB[3].equals("-") ? doneB[3] : doneA[3];
    return new Round(journalMode, Integer.parseInt(doneA[1]), Integer.parseInt(doneB[1]), foundA, foundB, errors,
        lastError, integrity.length() > 300 ? integrity.substring(0, 300) + "..." : integrity);
  }
}

package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Holder;
import io.walguard.sqlite.support.Sql;
import io.walguard.sqlite.support.Toolbox;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {

  @TempDir Path dir;
  @TempDir Path logs;

  private Toolbox.Run inspect(Path db, String... more) {
    String[] base = {"inspect", db.toString(), "-o", "json", "--termination-log", logs.resolve("tl").toString()};
    return Toolbox.inProcess(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
  }

  /** Every file in the directory with its size, modification time and content hash. */
  private Map<String, String> snapshot() throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        files.put(p.getFileName().toString(),
            Files.size(p) + " " + Files.getLastModifiedTime(p) + " " + HexFormat.of().formatHex(hash));
      }
    }
    return files;
  }

  @Test
  void walDatabaseWithoutCompanionsIsReadWithoutCreatingAnyFile() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 20);
    Map<String, String> before = snapshot();
    assertThat(before).containsOnlyKeys("app.db");

    Toolbox.Run run = inspect(db, "--quick-check");

    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    JsonNode json = run.json();
    assertThat(json.get("headerJournal").asText()).isEqualTo("wal");
    assertThat(json.get("headerVersionBytes").asText()).isEqualTo("2/2");
    assertThat(json.get("openMode").asText()).isEqualTo("immutable");
    assertThat(json.get("pageCount").asLong()).isPositive();
    assertThat(json.get("pageSize").asInt()).isEqualTo(4096);
    assertThat(json.get("quickCheck").get(0).asText()).isEqualTo("ok");
    assertThat(json.get("sqliteVersion").asText()).startsWith("3.");
    assertThat(json.has("walBytes")).isFalse();
    assertThat(json.at("/openers/otherOpeners").asBoolean()).isFalse();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void walDatabaseInUseIsReadThroughItsWalAndTheOpenerIsSeen() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 20);
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(30));
      Map<String, String> before = snapshot();

      Toolbox.Run run = inspect(db);

      JsonNode json = run.json();
      assertThat(run.exit()).isEqualTo(ExitStatus.OK);
      assertThat(json.get("journalMode").asText()).isEqualTo("wal");
      assertThat(json.get("openMode").asText()).isEqualTo("read-only");
      assertThat(json.get("walBytes").asLong()).isPositive();
      assertThat(json.get("shmBytes").asLong()).isPositive();
      assertThat(json.at("/openers/otherOpeners").asBoolean()).isTrue();
      assertThat(json.at("/openers/writer").asBoolean()).isFalse();
      assertThat(json.at("/openers/method").asText()).contains("POSIX lock probe").contains("-shm");
      // The database and its WAL are untouched; the -shm is the wal-index in shared memory, where every reader,
      // read-only or not, records which snapshot it reads.
      Map<String, String> after = snapshot();
      assertThat(after.keySet()).isEqualTo(before.keySet());
      assertThat(after.get("app.db")).isEqualTo(before.get("app.db"));
      assertThat(after.get("app.db-wal")).isEqualTo(before.get("app.db-wal"));
      assertThat(app.ask("count")).isEqualTo("count 50");
    }
  }

  @Test
  void aSymlinkToADatabaseInUseIsFollowedToTheWalAndLocksNextToTheRealFile() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Path db = real.resolve("app.db");
    Sql.createWal(db, 20);
    Path links = Files.createDirectories(dir.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("app.db"), db);
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(30));
      assertThat(app.ask("begin")).isEqualTo("reading 50");

      JsonNode json = inspect(link).json();

      assertThat(json.get("file").asText()).isEqualTo(db.toRealPath().toString());
      assertThat(json.get("openMode").asText()).isEqualTo("read-only");
      assertThat(json.get("journalMode").asText()).isEqualTo("wal");
      assertThat(json.get("walBytes").asLong()).isPositive();
      assertThat(json.get("pageCount").asLong()).isEqualTo(Long.parseLong(
          Sql.column(db, "pragma page_count").get(0)));
      assertThat(json.at("/openers/otherOpeners").asBoolean()).isTrue();
      assertThat(json.at("/openers/readMarksHeld").asInt()).isPositive();
      try (Stream<Path> beside = Files.list(links)) {
        assertThat(beside).containsExactly(link);
      }
    }
  }

  @Test
  void aWalWithoutItsShmIsReadWithoutCreatingTheShm(@TempDir Path source) throws Exception {
    Path live = source.resolve("app.db");
    Sql.createWal(live, 20);
    Path db = dir.resolve("app.db");
    long pages;
    // A -wal with no -shm: what a copy of a live database's files looks like, or a crash that lost the -shm.
    try (ChildJvm app = ChildJvm.start(Holder.class, live.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(live, Sql.insertRows(30));
      pages = Long.parseLong(Sql.column(live, "pragma page_count").get(0));
      Files.copy(live, db);
      Files.copy(Path.of(live + "-wal"), Path.of(db + "-wal"));
    }
    Map<String, String> before = snapshot();

    Toolbox.Run run = inspect(db, "--quick-check");

    JsonNode json = run.json();
    assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(ExitStatus.OK);
    assertThat(json.get("openMode").asText()).isEqualTo("private-wal-index");
    assertThat(json.get("journalMode").asText()).isEqualTo("wal");
    assertThat(json.get("pageCount").asLong()).as("the pages in the WAL are read").isEqualTo(pages);
    assertThat(json.get("quickCheck").get(0).asText()).isEqualTo("ok");
    assertThat(json.has("shmBytes")).isFalse();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(Path.of(db + "-shm")).doesNotExist();
  }

  @Test
  void rollbackDatabaseSaysSoInTheHeaderAndThePragma() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 3);

    JsonNode json = inspect(db).json();

    assertThat(json.get("headerJournal").asText()).isEqualTo("rollback");
    assertThat(json.get("headerVersionBytes").asText()).isEqualTo("1/1");
    assertThat(json.get("journalMode").asText()).isEqualTo("delete");
    assertThat(json.at("/openers/otherOpeners").isMissingNode()).isTrue();
    assertThat(json.at("/openers/detail").asText()).contains("cannot be seen");
  }

  @Test
  void aReaderInsideARollbackTransactionIsSeenByItsSharedLock() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 3);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      reader.readLine(Duration.ofSeconds(30));
      assertThat(reader.ask("begin")).isEqualTo("reading 3");

      JsonNode inside = inspect(db).json();

      assertThat(inside.at("/openers/sharedLock").asBoolean()).isTrue();
      assertThat(inside.at("/openers/writer").asBoolean()).isFalse();
      assertThat(inside.at("/openers/detail").asText()).contains("inside a transaction, reading");
      assertThat(reader.ask("commit")).isEqualTo("committed");

      JsonNode after = inspect(db).json();

      assertThat(after.at("/openers/sharedLock").asBoolean()).isFalse();
      assertThat(after.at("/openers/detail").asText()).contains("no other process is inside a transaction");
      assertThat(reader.ask("count")).isEqualTo("count 3");
    }
  }

  @Test
  void damagedDatabaseFailsQuickCheck() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 200);
    // Scribble over the middle of the file: b-tree pages, not the header.
    try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
      ByteBuffer junk = ByteBuffer.allocate(3 * 4096);
      for (int i = 0; i < junk.capacity(); i++) junk.put((byte) (i * 31));
      junk.flip();
      ch.write(junk, 4096 * 3);
    }

    Toolbox.Run run = inspect(db, "--quick-check");

    assertThat(run.exit()).isEqualTo(ExitStatus.NOT_ACHIEVED);
    assertThat(run.json().get("outcome").asText()).isEqualTo("corrupt");
    assertThat(run.json().get("quickCheck").get(0).asText()).isNotEqualTo("ok");
  }

  @Test
  void writesTheSameJsonToTheTerminationLog() throws IOException {
    Path db = dir.resolve("app.db");
    try {
      Sql.createWal(db, 3);
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }

    Toolbox.Run run = inspect(db);

    JsonNode written = Toolbox.readJson(logs.resolve("tl"));
    assertThat(written.get("command").asText()).isEqualTo("inspect");
    assertThat(written).isEqualTo(run.json());
  }
}

package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Holder;
import io.walguard.sqlite.support.Sql;
import io.walguard.sqlite.support.Toolbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCommandTest {

  @TempDir Path dir;

  private Toolbox.Run checkpoint(Path db, String mode, String... more) {
    String[] args = new String[] {"checkpoint", db.toString(), "--mode", mode, "--busy-timeout", "300ms", "-o", "json",
        "--termination-log", dir.resolve("termination-log").toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return Toolbox.inProcess(all);
  }

  @Test
  void readerInAReadTransactionMakesTruncateBusyAndTheWalDoesNotShrink() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      assertThat(reader.readLine(Duration.ofSeconds(30))).isEqualTo("ready 10");
      assertThat(reader.ask("begin")).isEqualTo("reading 10");
      Sql.exec(db, Sql.insertRows(200));
      long walBefore = Files.size(Path.of(db + "-wal"));

      Toolbox.Run run = checkpoint(db, "TRUNCATE");

      assertThat(run.exit()).isEqualTo(ExitStatus.NOT_ACHIEVED);
      JsonNode json = run.json();
      assertThat(json.get("outcome").asText()).isEqualTo("busy");
      assertThat(json.get("busy").asInt()).isEqualTo(1);
      assertThat(json.get("logFrames").asLong()).isGreaterThan(json.get("checkpointedFrames").asLong());
      assertThat(json.get("walBytesBefore").asLong()).isEqualTo(walBefore).isPositive();
      assertThat(json.get("walBytesAfter").asLong()).isEqualTo(walBefore);
      assertThat(Files.size(Path.of(db + "-wal"))).isEqualTo(walBefore);
      assertThat(json.at("/openers/otherOpeners").asBoolean()).isTrue();
      assertThat(json.at("/openers/readMarksHeld").asInt()).isPositive();
    }
  }

  @Test
  void onceTheReaderLetsGoTruncateShrinksTheWalToZero() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      reader.readLine(Duration.ofSeconds(30));
      reader.ask("begin");
      Sql.exec(db, Sql.insertRows(200));
      assertThat(checkpoint(db, "TRUNCATE").exit()).isEqualTo(ExitStatus.NOT_ACHIEVED);
      assertThat(reader.ask("commit")).isEqualTo("committed");
      long walBefore = Files.size(Path.of(db + "-wal"));

      // The reader stays connected, so closing our connection cannot be what empties the WAL.
      Toolbox.Run run = checkpoint(db, "TRUNCATE");

      assertThat(run.exit()).isEqualTo(ExitStatus.OK);
      JsonNode json = run.json();
      assertThat(json.get("outcome").asText()).isEqualTo("ok");
      assertThat(json.get("busy").asInt()).isZero();
      assertThat(json.get("walBytesBefore").asLong()).isEqualTo(walBefore).isPositive();
      assertThat(json.get("walBytesAfter").asLong()).isZero();
      assertThat(json.get("walRemovedOnClose").asBoolean()).isFalse();
      assertThat(Files.size(Path.of(db + "-wal"))).isZero();
      assertThat(reader.ask("count")).isEqualTo("count 210");
    }
  }

  @Test
  void aTruncateThatEmptiedTheWalSaysSoInsteadOfZeroOfZeroFrames() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      reader.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(100));
      long walBefore = Files.size(Path.of(db + "-wal"));

      Toolbox.Run run = Toolbox.inProcess("checkpoint", db.toString(), "--mode", "TRUNCATE", "--termination-log",
          dir.resolve("tl").toString());

      assertThat(run.exit()).isEqualTo(ExitStatus.OK);
      assertThat(run.stdout()).contains("emptied the WAL, WAL " + walBefore + " -> 0 bytes")
          .contains("it held at most " + (walBefore - 32) / (4096 + 24) + " frames of 4096-byte pages")
          .doesNotContain("log frames:      0").doesNotContain("0 of 0 frames");
      JsonNode written = Toolbox.readJson(dir.resolve("tl"));
      assertThat(written.get("logFrames").asLong()).isZero();
      assertThat(written.get("pageSize").asInt()).isEqualTo(4096);
    }
  }

  @Test
  void aSymlinkedPathCheckpointsTheWalNextToTheRealFile() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Path db = real.resolve("app.db");
    Sql.createWal(db, 10);
    Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("links")).resolve("app.db"), db);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      reader.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(100));
      long walBefore = Files.size(Path.of(db + "-wal"));

      JsonNode json = checkpoint(link, "TRUNCATE").json();

      assertThat(json.get("outcome").asText()).isEqualTo("ok");
      assertThat(json.get("walBytesBefore").asLong()).isEqualTo(walBefore).isPositive();
      assertThat(json.get("walBytesAfter").asLong()).isZero();
      assertThat(Files.size(Path.of(db + "-wal"))).isZero();
      assertThat(dir.resolve("links/app.db-wal")).doesNotExist();
    }
  }

  @Test
  void passiveCheckpointPastAReaderIsReportedIncomplete() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    try (ChildJvm reader = ChildJvm.start(Holder.class, db.toString())) {
      reader.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(50));
      reader.ask("begin");
      Sql.exec(db, Sql.insertRows(50));

      Toolbox.Run run = checkpoint(db, "PASSIVE");

      assertThat(run.exit()).isEqualTo(ExitStatus.NOT_ACHIEVED);
      assertThat(run.json().get("outcome").asText()).isEqualTo("incomplete");
      assertThat(run.json().get("busy").asInt()).isZero();
      assertThat(run.json().get("checkpointedFrames").asLong())
          .isPositive()
          .isLessThan(run.json().get("logFrames").asLong());
    }
  }

  @Test
  void closingTheLastConnectionDoesNotHideWhatThePragmaDid() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    // A writer that dies leaves its WAL behind, as a crashed application would.
    try (ChildJvm holder = ChildJvm.start(Holder.class, db.toString())) {
      holder.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(100));
      holder.kill();
    }
    long walBefore = Files.size(Path.of(db + "-wal"));
    assertThat(walBefore).isPositive();

    Toolbox.Run run = checkpoint(db, "PASSIVE");

    JsonNode json = run.json();
    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    assertThat(json.get("checkpointedFrames").asLong()).isEqualTo(json.get("logFrames").asLong()).isPositive();
    // PASSIVE copies the frames but keeps the file: the size measured before our close says so ...
    assertThat(json.get("walBytesAfter").asLong()).isEqualTo(walBefore);
    // ... and the removal done by closing the last connection is reported as such, not as the checkpoint's work.
    assertThat(json.get("walRemovedOnClose").asBoolean()).isTrue();
    assertThat(Files.exists(Path.of(db + "-wal"))).isFalse();
    assertThat(Sql.count(db)).isEqualTo(110);
  }

  @Test
  void aDatabaseNotInWalModeIsReportedNotFailed() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 5);

    Toolbox.Run run = checkpoint(db, "TRUNCATE");

    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    assertThat(run.json().get("outcome").asText()).isEqualTo("not-wal");
    assertThat(run.json().get("journalMode").asText()).isEqualTo("delete");
    assertThat(run.json().get("headerJournal").asText()).isEqualTo("rollback");
    assertThat(run.json().has("busy")).isFalse();
  }

  @Test
  void aMissingFileIsAnErrorAndIsNotCreated() {
    Path db = dir.resolve("typo.db");

    Toolbox.Run run = checkpoint(db, "PASSIVE");

    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.json().get("outcome").asText()).isEqualTo("error");
    assertThat(run.stderr()).contains("typo.db does not exist").contains("never creates one");
    assertThat(dir.resolve("typo.db")).doesNotExist();
    assertThat(dir.resolve("typo.db-wal")).doesNotExist();
  }

  @Test
  void aFileThatIsNotADatabaseIsAnErrorWithoutAStackTrace() throws Exception {
    Path notDb = dir.resolve("app.db-wal");
    Files.writeString(notDb, "this is not a database file, it is much too short to be one, and has no magic");

    Toolbox.Run run = Toolbox.inProcess("checkpoint", notDb.toString(), "--termination-log",
        dir.resolve("tl").toString());

    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.stderr()).contains("is not a SQLite database").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.stdout()).isEmpty();
  }

  @Test
  void textOutputIsASummaryForAPerson() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 5);

    Toolbox.Run run = Toolbox.inProcess("checkpoint", db.toString(), "--termination-log", dir.resolve("tl").toString());

    assertThat(run.exit()).isZero();
    assertThat(run.json()).isNull();
    assertThat(run.stdout()).startsWith("checkpoint: ok: ").contains("log frames:").contains("WAL bytes:");
  }
}

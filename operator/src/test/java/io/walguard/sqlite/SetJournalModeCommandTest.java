package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Holder;
import io.walguard.sqlite.support.Sql;
import io.walguard.sqlite.support.Toolbox;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetJournalModeCommandTest {

  @TempDir Path dir;

  private Toolbox.Run setJournalMode(Path db, String mode, String timeout) {
    return Toolbox.inProcess("set-journal-mode", db.toString(), "--mode", mode, "--timeout", timeout, "-o", "json",
        "--termination-log", dir.resolve("termination-log").toString());
  }

  /** Bytes 18 and 19 of the file, read with plain file I/O. */
  private static String headerBytes(Path db) throws Exception {
    try (InputStream in = Files.newInputStream(db)) {
      byte[] h = in.readNBytes(20);
      return h[18] + "/" + h[19];
    }
  }

  @Test
  void withAnotherOpenerItRetriesGivesUpCleanlyAndLeavesTheDatabaseIntact() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(40));

      Toolbox.Run run = setJournalMode(db, "DELETE", "1500ms");

      JsonNode json = run.json();
      assertThat(run.exit()).isEqualTo(ExitStatus.NOT_ACHIEVED);
      assertThat(json.get("outcome").asText()).isEqualTo("gave-up");
      assertThat(json.get("attempts").asInt()).isGreaterThan(1);
      assertThat(json.get("waitedMillis").asLong()).isGreaterThanOrEqualTo(1500);
      assertThat(json.get("lastBusyReason").asText()).contains("another");
      assertThat(json.get("message").asText()).contains("gave up").contains("unchanged").contains("--timeout");
      assertThat(json.get("headerAfter").asText()).isEqualTo("wal");
      assertThat(headerBytes(db)).isEqualTo("2/2");
      assertThat(app.ask("integrity")).isEqualTo("integrity ok");
      assertThat(app.ask("count")).isEqualTo("count 50");
    }
    assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
  }

  @Test
  void withoutOtherOpenersItConvertsAndTheHeaderSaysRollback() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 10);
    // Leave frames in the WAL, as a crashed application would: the conversion must carry them into the database.
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(40));
      app.kill();
    }
    assertThat(Files.size(Path.of(db + "-wal"))).isPositive();

    Toolbox.Run run = setJournalMode(db, "DELETE", "5s");

    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    assertThat(run.json().get("outcome").asText()).isEqualTo("changed");
    assertThat(run.json().get("headerAfter").asText()).isEqualTo("rollback");
    assertThat(headerBytes(db)).isEqualTo("1/1");
    assertThat(Path.of(db + "-wal")).doesNotExist();
    assertThat(Sql.count(db)).isEqualTo(50);
    assertThat(Sql.integrityCheck(db)).isEqualTo("ok");
  }

  @Test
  void convertsBackToWal() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 10);

    Toolbox.Run run = setJournalMode(db, "wal", "5s");

    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    assertThat(run.json().get("outcome").asText()).isEqualTo("changed");
    assertThat(headerBytes(db)).isEqualTo("2/2");
    assertThat(Sql.count(db)).isEqualTo(10);
  }

  @Test
  void aDatabaseAlreadyInTheModeIsLeftAlone() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 10);
    long modified = Files.getLastModifiedTime(db).toMillis();

    Toolbox.Run run = setJournalMode(db, "TRUNCATE", "5s");

    assertThat(run.exit()).isEqualTo(ExitStatus.OK);
    assertThat(run.json().get("outcome").asText()).isEqualTo("unchanged");
    assertThat(run.json().get("message").asText()).contains("chosen by each connection");
    assertThat(Files.getLastModifiedTime(db).toMillis()).isEqualTo(modified);
  }

  @Test
  void anUnknownModeIsBadInput() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createRollback(db, 1);

    Toolbox.Run run = Toolbox.inProcess("set-journal-mode", db.toString(), "--mode", "MEMORY");

    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.stderr()).contains("'MEMORY' is not one of DELETE, TRUNCATE, PERSIST, WAL");
  }
}

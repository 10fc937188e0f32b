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

/** The toolbox as a Job runs it: its own JVM, the compiled classes, an exit status and a termination message. */
class ChildProcessTest {

  @TempDir Path dir;

  @Test
  void checkpointInItsOwnProcessReportsThroughExitStatusStdoutAndTerminationMessage() throws Exception {
    Path db = dir.resolve("app.db");
    Path log = dir.resolve("termination-log");
    Sql.createWal(db, 10);
    try (ChildJvm app = ChildJvm.start(Holder.class, db.toString())) {
      app.readLine(Duration.ofSeconds(30));
      Sql.exec(db, Sql.insertRows(100));
      app.ask("begin");

      Toolbox.Run busy = Toolbox.inChild(Duration.ofSeconds(60), "checkpoint", db.toString(), "--mode", "TRUNCATE",
          "--busy-timeout", "200ms", "-o", "json", "--termination-log", log.toString());

      assertThat(busy.exit()).as(busy.stderr()).isEqualTo(ExitStatus.NOT_ACHIEVED);
      assertThat(busy.json().get("outcome").asText()).isEqualTo("busy");
      assertThat(Toolbox.readJson(log)).isEqualTo(busy.json());

      app.ask("commit");
      Toolbox.Run done = Toolbox.inChild(Duration.ofSeconds(60), "checkpoint", db.toString(), "--mode", "TRUNCATE",
          "-o", "json", "--termination-log", log.toString());

      assertThat(done.exit()).as(done.stderr()).isEqualTo(ExitStatus.OK);
      JsonNode written = Toolbox.readJson(log);
      assertThat(written.get("walBytesAfter").asLong()).isZero();
      assertThat(written.get("walBytesBefore").asLong()).isPositive();
      assertThat(Files.size(log)).isLessThanOrEqualTo(4096);
      assertThat(done.stderr()).isEmpty();
    }
  }

  @Test
  void badInputInItsOwnProcessExitsTwoWithAMessageAndNoStackTrace() throws Exception {
    Toolbox.Run run = Toolbox.inChild(Duration.ofSeconds(60), "set-journal-mode", dir.resolve("none.db").toString(),
        "--mode", "DELETE", "--termination-log", dir.resolve("tl").toString());

    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.stderr()).contains("does not exist").doesNotContain("Exception");
    assertThat(Toolbox.readJson(dir.resolve("tl")).get("outcome").asText()).isEqualTo("error");
  }
}

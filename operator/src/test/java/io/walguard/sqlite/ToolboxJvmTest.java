package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.cli.Main;
import io.walguard.sqlite.support.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolboxJvmTest {

  @TempDir Path dir;

  @Test
  void commandIsJavaWithTheFlagsThenTheJarThenTheSqliteCommand() {
    List<String> cmd = ToolboxJvm.command("java", "/opt/walguard/walguard.jar", List.of("checkpoint", "/data/app.db"));
    assertThat(cmd.get(0)).isEqualTo("java");
    assertThat(cmd.subList(1, 1 + ToolboxJvm.FLAGS.size())).isEqualTo(ToolboxJvm.FLAGS);
    assertThat(cmd.subList(1 + ToolboxJvm.FLAGS.size(), cmd.size()))
        .containsExactly("-jar", "/opt/walguard/walguard.jar", "sqlite", "checkpoint", "/data/app.db");
  }

  /** Every flag is one this JVM accepts, and a missing archive (as on a developer machine) only costs time. */
  @Test
  void thisJvmRunsTheToolboxWithTheFlagsWhetherOrNotTheArchiveExists() throws Exception {
    Path db = dir.resolve("app.db");
    Sql.createWal(db, 3);
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String flag : ToolboxJvm.FLAGS) cmd.add(flag.replace("=" + ToolboxJvm.TMPDIR, "=" + tmp));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "sqlite", "checkpoint",
        db.toString(), "--termination-log", dir.resolve("tl").toString()));

    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).startsWith("checkpoint: ok:");
  }
}

package io.walguard.sqlite.cli;

import io.walguard.sqlite.CheckpointMode;
import io.walguard.sqlite.Checkpointer;
import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.report.ToolboxReport;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = {"Run PRAGMA wal_checkpoint(MODE) and report busy, frames and the WAL's size before and after.",
        "Exit status: 0 done (or not a WAL database), 1 busy or incomplete, 2 error."})
public final class CheckpointCommand extends ToolboxCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The database file (never created).")
  Path file;

  @Option(names = "--mode", paramLabel = "PASSIVE|FULL|RESTART|TRUNCATE", defaultValue = "PASSIVE",
      converter = EnumConverters.CheckpointModes.class,
      description = "Checkpoint mode (default ${DEFAULT-VALUE}); only TRUNCATE shrinks the WAL file.")
  CheckpointMode mode;

  @Option(names = "--busy-timeout", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long FULL, RESTART and TRUNCATE wait for other connections (default ${DEFAULT-VALUE}).")
  Duration busyTimeout;

  @Override
  String target() {
    return file.toString();
  }

  @Override
  ToolboxReport run(SqliteVersion library) throws ToolboxException {
    return new Checkpointer(library).checkpoint(file, mode, busyTimeout);
  }
}

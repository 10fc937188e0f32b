package io.walguard.sqlite.cli;

import io.walguard.sqlite.JournalModeSwitcher;
import io.walguard.sqlite.JournalTarget;
import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.report.ToolboxReport;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "set-journal-mode", mixinStandardHelpOptions = true,
    description = {"Convert the database to a rollback journal or to WAL. Needs every other process to close it: "
        + "retries with backoff until --timeout, then gives up leaving the database as it was. The result is "
        + "verified from the file header (bytes 18-19: 1 rollback, 2 WAL).",
        "Exit status: 0 converted or already there, 1 gave up (others kept it open), 2 error."})
public final class SetJournalModeCommand extends ToolboxCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The database file (never created).")
  Path file;

  @Option(names = "--mode", required = true, paramLabel = "DELETE|TRUNCATE|PERSIST|WAL",
      converter = EnumConverters.JournalTargets.class, description = "The journal mode to convert to.")
  JournalTarget mode;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long to keep retrying while others hold the database (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  String target() {
    return file.toString();
  }

  @Override
  ToolboxReport run(SqliteVersion library) throws ToolboxException {
    return new JournalModeSwitcher(library).switchTo(file, mode, timeout);
  }
}

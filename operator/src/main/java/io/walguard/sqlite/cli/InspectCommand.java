package io.walguard.sqlite.cli;

import io.walguard.sqlite.Inspector;
import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.report.ToolboxReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Report the journal mode (file header and pragma), pages, the -wal/-shm sizes and whether other "
        + "processes hold the database now, without changing it.",
        "Exit status: 0 done, 1 quick_check found damage, 2 error."})
public final class InspectCommand extends ToolboxCommand {

  @Parameters(index = "0", paramLabel = "FILE", description = "The database file (never created).")
  Path file;

  @Option(names = "--quick-check", description = "Also run PRAGMA quick_check (reads every page).")
  boolean quickCheck;

  @Override
  String target() {
    return file.toString();
  }

  @Override
  ToolboxReport run(SqliteVersion library) throws ToolboxException {
    return new Inspector(library).inspect(file, quickCheck);
  }
}

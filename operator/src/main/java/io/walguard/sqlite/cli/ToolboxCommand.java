package io.walguard.sqlite.cli;

import io.walguard.sqlite.SqliteLibrary;
import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.report.ErrorReport;
import io.walguard.sqlite.report.ReportOutput;
import io.walguard.sqlite.report.TerminationLog;
import io.walguard.sqlite.report.ToolboxReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code walguard sqlite} command does around its work: refuse an unsafe SQLite, turn any failure into a
 * report with a message instead of a stack trace, print, and leave the termination message.
 */
public abstract class ToolboxCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  /** What the command works on, for error reports. */
  abstract String target();

  /** The work; {@code library} is the checked SQLite version, or null for commands that do not open databases. */
  abstract ToolboxReport run(SqliteVersion library) throws ToolboxException;

  boolean needsSqlite() {
    return true;
  }

  @Override
  public Integer call() {
    ToolboxReport report;
    try {
      report = run(needsSqlite() ? SqliteLibrary.requireSafe() : null);
    } catch (ToolboxException e) {
      report = ErrorReport.of(spec.name(), target(), e.getMessage());
    } catch (RuntimeException e) {
      report = ErrorReport.of(spec.name(), target(), "unexpected error: " + e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return ReportOutput.emit(report, output.format,
        TerminationLog.resolve(output.terminationLog, TerminationLog.POD_PATH), out, err);
  }
}

package io.walguard.audit.fuzz;

import io.walguard.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of {@code walguard audit}, with stdout and stderr captured through picocli's writers. */
record AuditRun(int status, String out, String err) {

  static AuditRun of(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args.toArray(String[]::new));
    return new AuditRun(status, out.toString(), err.toString());
  }

  /** {@code walguard audit -o json -f PATH EXTRA...}. */
  static AuditRun json(String path, String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", "-o", "json", "-f", path));
    args.addAll(List.of(extra));
    return of(args);
  }

  /** The lines of stderr that are not notes: the error message, when the run failed. */
  List<String> errorLines() {
    return err.lines().filter(line -> !line.startsWith("walguard audit: note: ")).toList();
  }
}

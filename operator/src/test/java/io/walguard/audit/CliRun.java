package io.walguard.audit;

import io.walguard.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the walguard command line in-process, with stdout and stderr captured through picocli's writers. */
record CliRun(int status, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = new CommandLine(new Main())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new CliRun(status, out.toString(), err.toString());
  }

  /** {@code walguard audit -f PATH ... EXTRA...}. */
  static CliRun audit(List<Path> paths, String... extra) {
    List<String> args = new ArrayList<>(List.of("audit"));
    for (Path path : paths) {
      args.add("-f");
      args.add(path.toString());
    }
    args.addAll(List.of(extra));
    return of(args.toArray(String[]::new));
  }

  static CliRun audit(Path path, String... extra) {
    return audit(List.of(path), extra);
  }
}

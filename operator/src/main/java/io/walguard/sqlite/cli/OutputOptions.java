package io.walguard.sqlite.cli;

import io.walguard.sqlite.report.ReportOutput;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The output options every toolbox command shares. */
public final class OutputOptions {

  @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
      converter = EnumConverters.Formats.class,
      description = "text (default) for a person, or json: exactly one JSON document on stdout.")
  ReportOutput.Format format;

  @Option(names = "--termination-log", paramLabel = "PATH",
      description = "Also write the JSON report here, cut to 4096 bytes. Default: /dev/termination-log when it "
          + "exists and is writable (inside a Kubernetes pod).")
  Path terminationLog;
}

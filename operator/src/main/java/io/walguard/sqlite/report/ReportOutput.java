package io.walguard.sqlite.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.walguard.sqlite.ExitStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints a report for a person or as one JSON document, and leaves it in the pod's termination message. */
public final class ReportOutput {

  public enum Format {
    text,
    json
  }

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private ReportOutput() {}

  /**
   * Prints the report and writes the termination message when {@code terminationLog} is not null. A failure to
   * write the termination message is said on stderr but does not change the exit status: the work is done.
   *
   * @return the report's exit status
   */
  public static int emit(ToolboxReport report, Format format, Path terminationLog, PrintWriter out, PrintWriter err) {
    JsonNode json = MAPPER.valueToTree(report);
    boolean failed = report.exitCode() == ExitStatus.ERROR;
    if (failed) err.println("walguard sqlite " + report.command() + ": " + report.message());
    if (format == Format.json) {
      try {
        out.println(MAPPER.writerWithDefaultPrettyPrinter().with(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(json));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    } else if (!failed) {
      out.println(report.command() + ": " + report.outcome() + ": " + report.message());
      report.details().forEach(line -> out.println("  " + line));
    }
    out.flush();
    if (terminationLog != null) {
      try {
        TerminationLog.write(terminationLog, MAPPER, json);
      } catch (IOException e) {
        err.println("walguard sqlite " + report.command() + ": could not write the termination message to "
            + terminationLog + ": " + e.getMessage());
      }
    }
    err.flush();
    return report.exitCode();
  }
}

package io.walguard.sqlite.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.sqlite.ExitStatus;
import java.util.List;

/** A command that could not run: bad input, a missing file, an unsafe SQLite library. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "target", "outcome", "exitCode", "message", "error", "time"})
public record ErrorReport(String command, String target, String outcome, int exitCode, String message, String error,
    String time) implements ToolboxReport {

  public static ErrorReport of(String command, String target, String message) {
    return new ErrorReport(command, target, "error", ExitStatus.ERROR, message, message, Timestamps.now());
  }

  @Override
  public List<String> details() {
    return List.of();
  }
}

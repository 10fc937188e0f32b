package io.walguard.sqlite.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The result of one {@code walguard sqlite} command: printed for a person, or as one JSON document for the operator
 * (stdout with {@code -o json}, and the pod's termination message). Every report carries {@code command},
 * {@code outcome}, {@code exitCode} and {@code message}.
 */
public interface ToolboxReport {
  String command();

  /** A short word the operator can switch on, e.g. {@code ok}, {@code busy}, {@code gave-up}, {@code error}. */
  String outcome();

  int exitCode();

  /** One sentence a person can act on. */
  String message();

  /** The human summary, one line per fact, after the message. */
  @JsonIgnore
  List<String> details();
}

package io.walguard.audit;

import java.nio.file.Path;

/**
 * Where an object was read: the file as the user named it (or as found under a directory they named) and the line
 * its document starts on, 0 when unknown (a cluster object has no file at all: {@code file} is null).
 */
public record Origin(Path file, int line) {

  public static Origin cluster() {
    return new Origin(null, 0);
  }

  public Origin atLine(int otherLine) {
    return new Origin(file, otherLine > 0 ? otherLine : line);
  }

  /** {@code grafana.yaml, line 12}, {@code grafana.yaml}, or {@code the cluster}. */
  public String describe() {
    if (file == null) {
      return "the cluster";
    }
    return line > 0 ? file + ", line " + line : file.toString();
  }
}

package io.walguard.compose;

import java.nio.file.Path;

/**
 * Where a value of a Compose file was written: the file as the user named it and the 1-based line, so that a message
 * about bad input points at it.
 */
record Origin(Path file, int line) {

  @Override
  public String toString() {
    return file + ":" + line;
  }
}

package io.walguard.sqlite;

/**
 * A toolbox run that cannot go on: bad input, a missing file, an unsafe library. The message is meant for a person
 * and names the file and the fix; the exit status is {@link ExitStatus#ERROR}.
 */
public final class ToolboxException extends Exception {
  public ToolboxException(String message) {
    super(message);
  }

  public ToolboxException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.walguard.audit;

/**
 * Input that cannot be read: a file that does not parse, a SqliteDatabase that breaks the schema. The audit stops
 * with exit status 2 and prints {@link #getMessage()} on stderr, which names the file, the line where known, the
 * object and the field, and the fix.
 */
public final class BadInputException extends Exception {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}

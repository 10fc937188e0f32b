package io.walguard.storage;

/**
 * A storage table that cannot be used: a user's drivers file or ConfigMap that does not parse or breaks the
 * schema. The message names the source, the entry and the field, and says what is allowed.
 */
public final class DriverTableException extends RuntimeException {

  public DriverTableException(String message) {
    super(message);
  }

  public DriverTableException(String message, Throwable cause) {
    super(message, cause);
  }
}

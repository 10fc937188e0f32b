package io.walguard.sqlite.probe;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Why an I/O call failed, in the operating system's words: the JDK's file exceptions often carry only the path. */
final class IoErrors {

  private IoErrors() {}

  static String reason(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NoSuchFileException) return "no such file or directory";
    if (e instanceof FileAlreadyExistsException) return "file exists";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

package io.walguard.sqlite.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The time stamp every report carries (RFC 3339, seconds), as the status field {@code lastCheckpoint.time} wants. */
public final class Timestamps {
  private Timestamps() {}

  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

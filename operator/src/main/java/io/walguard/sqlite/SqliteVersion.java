package io.walguard.sqlite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQLite library version, compared numerically.
 *
 * <p>SQLite 3.7.0 (the first with WAL) up to 3.51.2 carry the WAL-reset bug: when a checkpoint resets the WAL while
 * another connection is about to write, frames can be lost and the database corrupted. 3.51.3 has the fix, so the
 * toolbox refuses anything older: a tool meant to keep WAL databases safe must not run the bug itself.
 */
public record SqliteVersion(int major, int minor, int patch) implements Comparable<SqliteVersion> {

  /** The oldest library the toolbox accepts: the first release with the WAL-reset fix. */
  public static final SqliteVersion MINIMUM_SAFE = new SqliteVersion(3, 51, 3);
  /** The first release with WAL, and so the first one that can hit the WAL-reset bug. */
  public static final SqliteVersion FIRST_WITH_WAL = new SqliteVersion(3, 7, 0);

  private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[.\\s].*)?");

  /** Parses what {@code sqlite_version()} returns, e.g. {@code 3.53.0} (a fourth number or a suffix is ignored). */
  public static SqliteVersion parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("not a SQLite version: \"" + text + "\" (expected e.g. 3.51.3)");
    }
    return new SqliteVersion(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  /** True for 3.7.0 up to and including 3.51.2. */
  public boolean hasWalResetBug() {
    return compareTo(FIRST_WITH_WAL) >= 0 && compareTo(MINIMUM_SAFE) < 0;
  }

  /** True when the toolbox may run on this library. */
  public boolean isSafe() {
    return compareTo(MINIMUM_SAFE) >= 0;
  }

  @Override
  public int compareTo(SqliteVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) c = Integer.compare(minor, o.minor);
    if (c == 0) c = Integer.compare(patch, o.patch);
    return c;
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}

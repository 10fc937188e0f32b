package io.walguard.audit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One generated input for {@code walguard audit}: a file (its path under the run's directory decides whether it is read
 * as a manifest, as JSON or as a Compose file) and what the run must do with it beyond the common contract.
 *
 * @param category the family it belongs to, for counts and test names
 * @param name what this one is, for the test name
 * @param path where the file goes, relative to the directory the suite writes into
 * @param bytes the file's content
 * @param expect which exit statuses are acceptable
 * @param mentions words the error message must contain when the input is refused
 * @param sameOutputAs another input whose JSON report this one must reproduce byte for byte (a BOM or CRLF variant
 *     of a valid file), or null
 */
record HostileInput(String category, String name, String path, byte[] bytes, Expect expect, List<String> mentions,
    HostileInput sameOutputAs) {

  /** What the exit status may be. */
  enum Expect {
    /** A verdict (0 or 1) or a refusal (2): both are fine, as long as the contract holds. */
    ANY,
    /** It must be refused with exit status 2. */
    REFUSED,
    /** It must be read and get a verdict (0 or 1). */
    VERDICT
  }

  static HostileInput any(String category, String name, String path, byte[] bytes) {
    return new HostileInput(category, name, path, bytes, Expect.ANY, List.of(), null);
  }

  static HostileInput any(String category, String name, String path, String text) {
    return any(category, name, path, text.getBytes(StandardCharsets.UTF_8));
  }

  static HostileInput refused(String category, String name, String path, byte[] bytes, String... mentions) {
    return new HostileInput(category, name, path, bytes, Expect.REFUSED, List.of(mentions), null);
  }

  static HostileInput refused(String category, String name, String path, String text, String... mentions) {
    return refused(category, name, path, text.getBytes(StandardCharsets.UTF_8), mentions);
  }

  static HostileInput verdict(String category, String name, String path, byte[] bytes) {
    return new HostileInput(category, name, path, bytes, Expect.VERDICT, List.of(), null);
  }

  static HostileInput verdict(String category, String name, String path, String text) {
    return verdict(category, name, path, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A variant of {@code original} that must be read exactly as it is. */
  static HostileInput sameAs(HostileInput original, String category, String name, String path, byte[] bytes) {
    return new HostileInput(category, name, path, bytes, Expect.VERDICT, List.of(), original);
  }

  @Override
  public String toString() {
    return category + ": " + name + " (" + path + ", " + bytes.length + " bytes)";
  }
}

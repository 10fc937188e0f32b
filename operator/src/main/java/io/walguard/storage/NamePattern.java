package io.walguard.storage;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A name in the storage table: exact, or with {@code *} standing for any run of characters. Matching ignores case,
 * as Kubernetes object names are lower case anyway and users type provisioner names by hand.
 */
final class NamePattern {

  private final String text;
  private final Pattern regex;

  private NamePattern(String text) {
    this.text = text;
    String regex = Arrays.stream(text.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    this.regex = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }

  static NamePattern of(String text) {
    return new NamePattern(text);
  }

  static boolean matches(String pattern, String candidate) {
    return candidate != null && of(pattern).matches(candidate);
  }

  boolean matches(String candidate) {
    return candidate != null && regex.matcher(candidate).matches();
  }

  boolean isPattern() {
    return text.indexOf('*') >= 0;
  }

  /** How much fixed text the pattern holds: between two matching patterns the more specific one wins. */
  int fixedLength() {
    return text.replace("*", "").length();
  }

  /** The key two entries share when one replaces the other. */
  String key() {
    return text.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return text;
  }
}

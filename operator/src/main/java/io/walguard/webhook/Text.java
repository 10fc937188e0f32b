package io.walguard.webhook;

/**
 * Text taken from requests goes back into responses, Events and logs: it must be printable, valid UTF-16 (no lone
 * surrogates, which JSON writers reject) and short.
 */
final class Text {

  private Text() {}

  /** Control characters become spaces, lone surrogates are dropped, and the result is cut to {@code max}. */
  static String clean(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (b.length() + 2 > max) {
            break;
          }
          b.append(c).append(s.charAt(++i));
        }
      } else if (Character.isLowSurrogate(c)) {
        continue;
      } else if (Character.isISOControl(c)) {
        b.append(' ');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Whether {@link #clean} would leave the text as it is. */
  static boolean isClean(String s) {
    return s != null && clean(s, Integer.MAX_VALUE).equals(s);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return clean(nl < 0 ? message : message.substring(0, nl), 300);
  }

  static String quote(String s) {
    return s == null ? "nothing" : "'" + clean(s, 60) + "'";
  }
}

package io.walguard.audit;

/**
 * Text from the input, quoted for a message: shortened, so that a message never repeats a huge value, and with line
 * breaks and other control characters escaped, so that it stays one line.
 */
public final class Quoted {

  /** More than enough to recognise a value; a longer one is shown by its start and its length. */
  static final int MAX_SHOWN = 80;

  private Quoted() {}

  /**
   * An object's name as a message shows it: as it is when it looks like a Kubernetes name, quoted when it holds
   * anything that could break the message (spaces, line breaks) or is longer than any valid name.
   */
  public static String name(String name) {
    return name.length() <= 253 && name.chars().allMatch(c -> c > ' ' && c < 0x7f) ? name : quoted(name);
  }

  public static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    int shown = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
    return text.length() > MAX_SHOWN ? out + " (" + text.length() + " characters, shortened)" : out.toString();
  }
}

package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;

/**
 * Compose's variable interpolation: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alt}}, {@code ${VAR+alt}} (nested), and {@code $$} for a
 * literal dollar. Applied to values, never to keys, as Compose does; an unset variable without a default is empty.
 */
final class Interpolation {

  private final Map<String, String> variables;

  Interpolation(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  Map<String, String> variables() {
    return variables;
  }

  /**
   * Replaces every string value of a loaded document by its interpolated text, in place. Each shared (aliased) list
   * or mapping is visited once, so anchors cannot make this walk expensive.
   */
  void apply(Object document, Origin start, Origins origins) throws BadInputException {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(document, start, origins, seen);
  }

  @SuppressWarnings("unchecked")
  private void walk(Object value, Origin origin, Origins origins, Set<Object> seen) throws BadInputException {
    if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>)) {
      return;
    }
    if (!seen.add(value)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) map).entrySet()) {
        Origin at = origins.ofKey(map, entry.getKey(), origin);
        if (entry.getValue() instanceof String text) {
          entry.setValue(substitute(text, at));
        } else {
          walk(entry.getValue(), at, origins, seen);
        }
      }
      return;
    }
    List<Object> list = (List<Object>) value;
    for (ListIterator<Object> it = list.listIterator(); it.hasNext(); ) {
      Origin at = origins.ofItem(list, it.nextIndex(), origin);
      Object item = it.next();
      if (item instanceof String text) {
        it.set(substitute(text, at));
      } else {
        walk(item, at, origins, seen);
      }
    }
  }

  private String substitute(String text, Origin at) throws BadInputException {
    try {
      return substitute(text);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(at + ": " + e.getMessage());
    }
  }

  /** The interpolated text; IllegalArgumentException (with a message for the user) on a bad or missing variable. */
  String substitute(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int close = closingBrace(text, i + 2);
        out.append(braced(text.substring(i + 2, close), text));
        i = close + 1;
      } else if (isNameStart(next)) {
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        out.append(variables.getOrDefault(text.substring(i + 1, end), ""));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String braced(String body, String whole) {
    int end = 0;
    while (end < body.length() && isNamePart(body.charAt(end))) {
      end++;
    }
    String name = body.substring(0, end);
    if (name.isEmpty() || !isNameStart(name.charAt(0))) {
      throw new IllegalArgumentException("invalid interpolation " + Quoted.quoted("${" + body + "}") + " in "
          + Quoted.quoted(whole) + "; a variable is written ${NAME}, ${NAME:-default} or ${NAME:?message}, and $$ is"
          + " a literal $");
    }
    String value = variables.get(name);
    if (end == body.length()) {
      return value == null ? "" : value;
    }
    String rest = body.substring(end);
    boolean colon = rest.startsWith(":");
    String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
    String argument = rest.substring(colon ? 2 : 1);
    boolean unset = value == null || (colon && value.isEmpty());
    return switch (op) {
      case "-" -> unset ? substitute(argument) : value;
      case "+" -> unset ? "" : substitute(argument);
      case "?" -> {
        if (unset) {
          throw new IllegalArgumentException("required variable " + name + " is missing a value: "
              + substitute(argument) + "; set " + name + " in the environment or in the .env file beside the"
              + " Compose file");
        }
        yield value;
      }
      default -> throw new IllegalArgumentException("invalid interpolation " + Quoted.quoted("${" + body + "}")
          + " in " + Quoted.quoted(whole) + "; after the name Compose accepts :-, -, :?, ?, :+ or +");
    };
  }

  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed \"${\" in " + Quoted.quoted(text) + "; close it with } or write $$"
        + " for a literal $");
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}

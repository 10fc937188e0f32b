package io.walguard.webhook;

import java.util.Locale;
import java.util.Optional;

/** What the webhook does with an unsafe object, set per namespace by the label {@code walguard.io/enforce}. */
public enum EnforceMode {
  /** Admit, with warnings. */
  warn,
  /** Refuse, with a message that says what to change. */
  deny;

  /** The mode a label value names, or empty for a value that names none (then the default applies). */
  public static Optional<EnforceMode> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "warn" -> Optional.of(warn);
      case "deny" -> Optional.of(deny);
      default -> Optional.empty();
    };
  }
}

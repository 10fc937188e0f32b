package io.walguard.sqlite.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people and Kubernetes write them: {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h30m}
 * (Go's notation, fractions included), or ISO {@code PT10S}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      try {
        return nonNegative(Duration.parse(v.toUpperCase(Locale.ROOT)), value);
      } catch (DateTimeParseException e) {
        throw invalid(value);
      }
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long nanosPerUnit = switch (m.group(2)) {
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      try {
        total = total.plusNanos(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit))
            .toBigInteger().longValueExact());
      } catch (ArithmeticException e) {
        throw invalid(value);
      }
      end = m.end();
    }
    if (end == 0 || end != v.length()) throw invalid(value);
    return total;
  }

  private static Duration nonNegative(Duration d, String value) {
    if (d.isNegative()) throw invalid(value);
    return d;
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException("'" + value + "' is not a duration: write e.g. 500ms, 1.5s, 10s, 2m, 1h30m or PT10S");
  }
}

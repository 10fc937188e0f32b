package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's troubleshooting table names every condition reason walguard can write, and no other. The reasons are
 * read from the sources: every method that builds a Condition from a {@code String reason} parameter (a
 * {@code new ConditionBuilder()} with {@code .withReason(reason)}) is a condition helper, and the reason argument of
 * each call of a helper is read for string literals and {@code static final String} constants; so is the reason of
 * a ConditionBuilder chain that writes it in place, and of each checkpoint {@code Judgement}. A new reason without a
 * row fails here.
 */
class TroubleshootingTableTest {

  static final Path SOURCES = Repo.ROOT.resolve("operator/src/main/java/io/walguard");

  static final Pattern CONSTANT = Pattern.compile("static final String ([A-Z][A-Z0-9_]*) = \"([^\"]*)\";");
  static final Pattern DECLARATION = Pattern.compile(
      "(?:static |private |public |final )*\\w[\\w<>,\\s]*\\s(\\w+)\\(([^()]*\\bString reason\\b[^()]*)\\)\\s*\\{");
  static final Pattern BUILT_REASON = Pattern.compile("\\.withReason\\(([^()]*)\\)");
  static final Pattern VALUE = Pattern.compile("\"([A-Z][A-Za-z]+)\"|\\b([A-Z][A-Z0-9_]+)\\b");

  /** A condition helper: its name, how many parameters it takes, and which one is the reason. */
  record Helper(String name, int arity, int reason) {}

  static Set<String> reasonsInCode() {
    Map<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> constants = new HashMap<>();
    List<Helper> helpers = new ArrayList<>(List.of(new Helper("Judgement", 3, 1)));
    for (String source : sources.values()) {
      Matcher c = CONSTANT.matcher(source);
      while (c.find()) {
        constants.put(c.group(1), c.group(2));
      }
      Matcher d = DECLARATION.matcher(source);
      while (d.find()) {
        String body = source.substring(d.end(), closingBrace(source, d.end() - 1));
        if (body.contains("new ConditionBuilder()") && body.contains(".withReason(reason)")) {
          List<String> params = arguments(d.group(2));
          int reason = 0;
          while (!params.get(reason).matches("(final )?String reason")) {
            reason++;
          }
          helpers.add(new Helper(d.group(1), params.size(), reason));
        }
      }
    }
    Set<String> reasons = new TreeSet<>();
    for (String source : sources.values()) {
      // a ConditionBuilder chain with its reason written in place
      for (int at = source.indexOf("new ConditionBuilder()"); at >= 0;
          at = source.indexOf("new ConditionBuilder()", at + 1)) {
        int end = source.indexOf(".build()", at);
        Matcher built = BUILT_REASON.matcher(source.substring(at, end < 0 ? source.length() : end));
        while (built.find()) {
          values(built.group(1), constants, reasons);
        }
      }
      for (Helper helper : helpers) {
        Matcher call = Pattern.compile("\\b" + helper.name() + "\\(").matcher(source);
        while (call.find()) {
          int close = closingParen(source, call.end() - 1);
          List<String> args = arguments(source.substring(call.end(), close));
          if (args.size() == helper.arity() && !args.get(helper.reason()).matches("(final )?String reason")) {
            values(args.get(helper.reason()), constants, reasons);
          }
        }
      }
    }
    return reasons;
  }

  /** The reason literals an argument can evaluate to: its string literals and the constants it names. */
  private static void values(String expression, Map<String, String> constants, Set<String> into) {
    Matcher v = VALUE.matcher(expression);
    while (v.find()) {
      if (v.group(1) != null) {
        into.add(v.group(1));
      } else if (constants.containsKey(v.group(2))) {
        into.add(constants.get(v.group(2)));
      }
    }
  }

  /** The top-level, comma-separated arguments of an argument list, strings and nested calls kept whole. */
  static List<String> arguments(String list) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char ch = list.charAt(i);
      if (ch == '"' || ch == '\'') {
        i = endOfString(list, i);
      } else if (ch == '(' || ch == '[' || ch == '{') {
        depth++;
      } else if (ch == ')' || ch == ']' || ch == '}') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        args.add(list.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (!list.isBlank()) {
      args.add(list.substring(start).strip());
    }
    return args;
  }

  private static int closingParen(String source, int open) {
    return closing(source, open, '(', ')');
  }

  private static int closingBrace(String source, int open) {
    return closing(source, open, '{', '}');
  }

  private static int closing(String source, int open, char in, char out) {
    int depth = 0;
    for (int i = open; i < source.length(); i++) {
      char ch = source.charAt(i);
      if (ch == '"' || ch == '\'') {
        i = endOfString(source, i);
      } else if (ch == in) {
        depth++;
      } else if (ch == out && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced " + in + " at " + open);
  }

  /** The index of the quote that ends the string, text block or char literal starting at {@code quote}. */
  private static int endOfString(String s, int quote) {
    if (s.startsWith("\"\"\"", quote)) {
      return s.indexOf("\"\"\"", quote + 3) + 2;
    }
    char kind = s.charAt(quote);
    for (int i = quote + 1; i < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.charAt(i) == kind) {
        return i;
      }
    }
    return s.length() - 1;
  }

  /** The backquoted names in the reason column of the README's troubleshooting table. */
  static Set<String> reasonsInReadme() throws IOException {
    String readme = Files.readString(Repo.ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Troubleshooting\n");
    assertThat(start).as("README has a Troubleshooting section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    Set<String> reasons = new TreeSet<>();
    for (String line : readme.substring(start, end < 0 ? readme.length() : end).lines().toList()) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("|") || cells.length < 3 || cells[2].isBlank() || cells[2].contains("---")
          || cells[2].strip().equals("reason")) {
        continue;
      }
      Matcher name = Pattern.compile("`([A-Za-z]+)`").matcher(cells[2]);
      while (name.find()) {
        reasons.add(name.group(1));
      }
    }
    return reasons;
  }

  @Test
  void theSourceScanFindsReasonsOfEveryKindOfCall() {
    // one from each way conditions are built, so that a scan finding nothing cannot pass the test below
    assertThat(reasonsInCode()).contains(
        "OpenersCanSpanNodes", "PinInProgress",      // StatusComposer's helper, a ternary among them
        "OpenersUnschedulable",                     // a constant
        "JournalModeSet", "CronJobFailed",          // JournalRemedy's and CheckpointDependent's helpers
        "WalGrowing",                               // CheckpointHealth's Judgement
        "ReconcileError", "CleanupFailed");         // the reconciler's own helper
  }

  @Test
  void theTroubleshootingTableNamesEveryReasonTheOperatorCanWriteAndNoOther() throws IOException {
    Set<String> code = reasonsInCode();
    Set<String> readme = reasonsInReadme();
    Set<String> missing = new TreeSet<>(code);
    missing.removeAll(readme);
    Set<String> stale = new TreeSet<>(readme);
    stale.removeAll(code);
    assertThat(missing).as("reasons the operator writes that README's Troubleshooting table lacks").isEmpty();
    assertThat(stale).as("reasons in README's Troubleshooting table that the operator never writes").isEmpty();
  }
}

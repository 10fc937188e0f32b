package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's troubleshooting table names every condition reason walguard can write, and no other: the reasons are
 * read from the sources, where conditions are built (a {@code condition(...)} helper with a literal status, a
 * checkpoint {@code Judgement}, or a {@code ConditionBuilder} chain), so a new reason without a row fails here.
 */
class TroubleshootingTableTest {

  static final Path SOURCES = Repo.ROOT.resolve("operator/src/main/java/io/walguard");

  /** {@code condition([TYPE,] STATUS, REASON, ...)} where STATUS holds a literal True, False or Unknown. */
  static final Pattern CONDITION = Pattern.compile(
      "condition\\(\\s*(?:[A-Z_]+\\s*,\\s*)?[^,;]*?\"(?:True|False|Unknown)\"[^,;]*?,\\s*([^,;]+?)\\s*,");
  static final Pattern JUDGEMENT = Pattern.compile(
      "new Judgement\\(\\s*\"(?:True|False|Unknown)\"\\s*,\\s*([^,;]+?)\\s*,");
  static final Pattern BUILDER = Pattern.compile(
      "\\.withType\\([^)]*\\)\\s*\\.withStatus\\([^)]*\\)\\s*\\.withReason\\(([^)]+)\\)");
  static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Za-z]+)\"");

  static Set<String> reasonsInCode() {
    Set<String> reasons = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        for (Pattern call : new Pattern[] {CONDITION, JUDGEMENT, BUILDER}) {
          Matcher m = call.matcher(source);
          while (m.find()) {
            Matcher literal = LITERAL.matcher(m.group(1));
            while (literal.find()) {
              reasons.add(literal.group(1));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return reasons;
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
        "OpenersCanSpanNodes", "PinInProgress",      // StatusComposer, a ternary among them
        "JournalModeSet", "CronJobFailed",          // JournalRemedy and CheckpointDependent helpers, via ToolboxOps
        "WalGrowing",                               // CheckpointHealth's Judgement
        "ReconcileError");                          // a ConditionBuilder chain in the reconciler
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

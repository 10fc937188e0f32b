package io.walguard.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every run of {@code walguard audit} owes its user, whatever the input (DESIGN.md section 9): exit status 0 or 1
 * with one JSON report, or 2 with nothing on stdout and one message on stderr that names the file (and the line, for a
 * syntax error); never an internal error, never a stack trace or a Java class name.
 */
final class AuditContract {

  /** Longer than any message walguard writes for a person; a message past it is echoing the input. */
  static final int MAX_MESSAGE_CHARS = 1_500;

  private static final List<Pattern> LEAKS = List.of(
      Pattern.compile("(?m)^\\s+at [\\w$.]+\\("),
      Pattern.compile("\\bat (io|java|javax|jdk|sun|org|com)\\.[a-z]"),
      Pattern.compile("\\b[A-Z][A-Za-z]*(Exception|Error)\\b"),
      Pattern.compile("\\b(java\\.(lang|util|io|nio)|io\\.fabric8|com\\.fasterxml|org\\.yaml|org\\.snakeyaml"
          + "|io\\.walguard)\\."),
      Pattern.compile("[A-Za-z]@[0-9a-f]{6,}\\b"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditContract() {}

  static void holds(HostileInput input, String shownPath, AuditRun run) {
    String context = input + "\nexit status " + run.status() + "\nstderr: " + abbreviate(run.err()) + "\nstdout: "
        + abbreviate(run.out());
    assertThat(run.err()).as(context).doesNotContain("internal error");
    for (Pattern leak : LEAKS) {
      assertThat(leak.matcher(run.err()).find()).as("stderr shows %s\n%s", leak, context).isFalse();
    }
    assertThat(run.status()).as(context).isIn(0, 1, 2);
    switch (input.expect()) {
      case REFUSED -> assertThat(run.status()).as("refused\n" + context).isEqualTo(2);
      case VERDICT -> assertThat(run.status()).as("a verdict\n" + context).isIn(0, 1);
      default -> {
      }
    }
    if (run.status() == 2) {
      refusal(input, shownPath, run, context);
    } else {
      report(run, context);
    }
  }

  private static void refusal(HostileInput input, String shownPath, AuditRun run, String context) {
    assertThat(run.out()).as("stdout of a refusal\n" + context).isEmpty();
    List<String> errors = run.errorLines();
    assertThat(errors).as("one message\n" + context).hasSize(1);
    String message = errors.get(0);
    assertThat(message).as(context).startsWith("walguard audit: ").contains(shownPath);
    assertThat(message.length()).as("message length\n" + context).isLessThan(MAX_MESSAGE_CHARS);
    if (message.contains("YAML syntax error") || message.contains("JSON syntax error")) {
      assertThat(message).as("the line of a syntax error\n" + context).contains(shownPath + ", line ");
    }
    if (message.contains("not valid YAML")) {
      assertThat(message).as("the line of a syntax error\n" + context).containsPattern(Pattern.quote(shownPath)
          + ":\\d+");
    }
    for (String mention : input.mentions()) {
      assertThat(message.toLowerCase(Locale.ROOT)).as(context).contains(mention.toLowerCase(Locale.ROOT));
    }
  }

  private static void report(AuditRun run, String context) {
    assertThat(run.errorLines()).as("stderr holds notes only\n" + context).isEmpty();
    assertThat(run.out()).as(context).endsWith("}\n");
    assertThatCode(() -> {
      JsonNode report = JSON.readTree(run.out());
      assertThat(report.isObject()).isTrue();
      assertThat(report.get("databases").isArray()).isTrue();
    }).as("one JSON report\n" + context).doesNotThrowAnyException();
  }

  static String abbreviate(String text) {
    return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "... (" + text.length() + " chars)";
  }
}

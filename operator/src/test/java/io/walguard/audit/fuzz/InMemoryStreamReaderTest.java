package io.walguard.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.audit.InMemoryStreamReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.ScannerImpl;
import org.yaml.snakeyaml.tokens.ScalarToken;
import org.yaml.snakeyaml.tokens.Token;

/**
 * walguard reads YAML through {@link InMemoryStreamReader} instead of SnakeYAML's own reader, whose cost is quadratic in
 * the length of a token. It must read everything exactly as SnakeYAML's reader does: the same tokens, the same marks
 * (so messages name the same lines and columns), and the same syntax errors at the same places.
 */
class InMemoryStreamReaderTest {

  static Stream<String> texts() {
    List<String> texts = new ArrayList<>();
    for (Examples.Example example : Examples.all()) {
      texts.add(example.text());
      texts.add(example.text().replace("\n", "\r\n"));
      texts.add(example.text().replace("\n", "\r"));
    }
    texts.add("a: \u00e9t\u00e9 \ud83d\ude00 \u2028b: c\u0085d: [e, f]\u2029g: |\n  h\n  i\n\uFEFFj: k\n");
    texts.add("a: \"quoted\\nwith \\u00e9 escapes\"\nb: 'single ''quoted'''\nc: >\n  folded\n  text\n");
    texts.add("x: " + "y".repeat(5_000) + "\n# " + "z".repeat(5_000) + "\n");
    texts.add("text ending in a carriage return\r");
    texts.add("");
    Random random = new Random(20_240_611L);
    for (HostileInput input : TextFuzz.randomYaml(random, 40)) {
      texts.add(new String(input.bytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    for (HostileInput input : TextFuzz.mutated(random, Examples.all(), 40)) {
      String text = new String(input.bytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (text.codePoints().allMatch(StreamReader::isPrintable)) {
        texts.add(text);
      }
    }
    return texts.stream();
  }

  @ParameterizedTest
  @MethodSource("texts")
  void readsEveryTextAsSnakeYamlsOwnReaderDoes(String text) {
    assertThat(tokens(new InMemoryStreamReader(text))).isEqualTo(tokens(new StreamReader(new StringReader(text))));
  }

  @Test
  void refusesACharacterYamlDoesNotAllowWhereSnakeYamlDoes() {
    String text = "a: b\nc: d\u0001e\n";

    assertThat(tokens(new StreamReader(new StringReader(text)))).last().asString()
        .contains("special characters are not allowed");
    assertThatThrownBy(() -> new InMemoryStreamReader(text)).isInstanceOf(ReaderException.class)
        .satisfies(e -> assertThat(((ReaderException) e).getPosition()).isEqualTo(text.indexOf('\u0001')))
        .hasMessageContaining("special characters are not allowed");
  }

  /** Every token with its marks and value, then the error that ended the scan, if any. */
  private static List<String> tokens(StreamReader reader) {
    List<String> tokens = new ArrayList<>();
    try {
      ScannerImpl scanner = new ScannerImpl(reader, new LoaderOptions());
      while (scanner.checkToken()) {
        Token token = scanner.getToken();
        tokens.add(token.getTokenId() + " " + mark(token.getStartMark()) + "-" + mark(token.getEndMark())
            + (token instanceof ScalarToken scalar ? " " + scalar.getValue() + " " + scalar.getStyle() : ""));
      }
    } catch (MarkedYAMLException e) {
      tokens.add("error " + e.getProblem() + " at " + mark(e.getProblemMark()) + ", " + e.getContext() + " at "
          + mark(e.getContextMark()));
    } catch (ReaderException e) {
      tokens.add("error " + e.getMessage());
    }
    return tokens;
  }

  private static String mark(Mark mark) {
    // Not the snippet: SnakeYAML's reader keeps only a window of the text, so its snippets show less.
    return mark == null ? "-" : mark.getLine() + ":" + mark.getColumn() + "@" + mark.getIndex();
  }
}

package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.audit.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ComposeYamlTest {

  @TempDir Path dir;

  private Map<?, ?> load(String yaml) throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    List<ComposeYaml.Document> documents = ComposeYaml.load(file, new Origins());
    assertThat(documents).hasSize(1);
    return (Map<?, ?>) documents.get(0).value();
  }

  private static Object at(Object value, String... path) {
    for (String key : path) {
      value = ((Map<?, ?>) value).get(key);
    }
    return value;
  }

  @Test
  void explicitKeysWinOverMergedOnes() throws Exception {
    Map<?, ?> root = load("""
        x-base: &base {image: app:1, restart: always}
        services:
          web:
            image: app:2
            <<: *base
        """);
    assertThat(at(root, "services", "web")).isEqualTo(Map.of("image", "app:2", "restart", "always"));
  }

  @Test
  void inAListOfMergesTheEarlierMappingWins() throws Exception {
    Map<?, ?> root = load("""
        x-a: &a {image: from-a, a: 1}
        x-b: &b {image: from-b, b: 2}
        services:
          web:
            <<: [*a, *b]
        """);
    assertThat(at(root, "services", "web")).isEqualTo(Map.of("image", "from-a", "a", 1, "b", 2));
  }

  @Test
  void mergesNestAndAnAliasCanBeMergedSeveralTimes() throws Exception {
    Map<?, ?> root = load("""
        x-deploy: &deploy
          deploy: {replicas: 2}
        x-service: &service
          <<: *deploy
          image: app
        services:
          one: {<<: *service}
          two:
            <<: *service
            deploy: {replicas: 3}
        """);
    assertThat(at(root, "services", "one")).isEqualTo(Map.of("image", "app", "deploy", Map.of("replicas", 2)));
    assertThat(at(root, "services", "two", "deploy")).isEqualTo(Map.of("replicas", 3));
  }

  @Test
  void extensionFieldsAreKeptAsPlainValues() throws Exception {
    Map<?, ?> root = load("""
        x-walguard: {databases: [{volume: db}]}
        services: {}
        """);
    assertThat(at(root, "x-walguard", "databases")).isEqualTo(List.of(Map.of("volume", "db")));
  }

  @ParameterizedTest(name = "{0} is read as {1}")
  @CsvSource(delimiter = '|', textBlock = """
      yes        | java.lang.String
      on         | java.lang.String
      off        | java.lang.String
      2024-01-01 | java.lang.String
      0755       | java.lang.String
      1:20       | java.lang.String
      true       | java.lang.Boolean
      False      | java.lang.Boolean
      12         | java.lang.Integer
      1.5        | java.lang.Double
      """)
  void scalarsFollowTheYaml12CoreSchemaAsInCompose(String text, String type) throws Exception {
    Object value = at(load("v: " + text + "\n"), "v");
    assertThat(value.getClass().getName()).isEqualTo(type);
    assertThat(String.valueOf(value)).isEqualToIgnoringCase(text);
  }

  @Test
  void resetTagUnsetsAndOverrideTagKeepsTheValue() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        services:
          web:
            volumes: !reset []
            labels: !override {a: b}
            image: !override app:1
        """);
    Origins origins = new Origins();
    Map<?, ?> web = (Map<?, ?>) at(ComposeYaml.load(file, origins).get(0).value(), "services", "web");
    assertThat(web.get("volumes")).isNull();
    assertThat(origins.isReset(web, "volumes")).isTrue();
    assertThat(web.get("labels")).isEqualTo(Map.of("a", "b"));
    assertThat(web.get("image")).isEqualTo("app:1");
    assertThat(origins.isOverride(web, "labels")).isTrue();
  }

  @Test
  void everyValueKnowsItsLineEvenThroughMerges() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        x-base: &base
          image: app
        services:
          web:
            <<: *base
            volumes:
              - db:/data
        """);
    Origins origins = new Origins();
    Map<?, ?> web = (Map<?, ?>) at(ComposeYaml.load(file, origins).get(0).value(), "services", "web");
    assertThat(origins.ofKey(web, "image", null).line()).isEqualTo(2);
    assertThat(origins.ofKey(web, "volumes", null).line()).isEqualTo(7);
    assertThat(origins.ofItem((List<?>) web.get("volumes"), 0, null)).hasToString(file + ":7");
  }

  static Stream<Arguments> hostileOrBrokenFiles() {
    StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      String prev = "*a" + (i - 1);
      laughs.append("a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
    }
    StringBuilder manyAliases = new StringBuilder("x: &x [1]\ny: [");
    manyAliases.append(String.join(", ", java.util.Collections.nCopies(ComposeYaml.MAX_ALIASES + 1, "*x")));
    manyAliases.append("]\n");
    String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
    return Stream.of(
        Arguments.of("billion laughs", laughs.toString(), "billion-laughs"),
        Arguments.of("too many aliases", manyAliases.toString(), "aliases"),
        Arguments.of("deep nesting", deep, "Nesting Depth"),
        Arguments.of("recursive alias", "a: &a [1, *a]\n", "recursive"),
        Arguments.of("duplicate key", "services: {}\nservices: {}\n", ":2: not valid YAML"),
        Arguments.of("bad syntax", "services:\n  web: [unclosed\n", "not valid YAML"),
        Arguments.of("unknown tag", "services: !!java.io.File {}\n", "not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileOrBrokenFiles")
  @Timeout(10)
  void hostileOrBrokenFilesFailFastAsBadInput(String name, String yaml, String message) throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    long start = System.nanoTime();
    assertThatThrownBy(() -> ComposeYaml.load(file, new Origins()))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(message);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void oversizedFileIsRefusedBeforeItIsParsed() throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.write(file, ("# " + "x".repeat(ComposeYaml.MAX_BYTES) + "\n").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ComposeYaml.load(file, new Origins()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("bytes, more than");
  }

  @Test
  void textThatIsNotUtf8IsBadInput() throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(() -> ComposeYaml.load(file, new Origins()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void severalDocumentsAreAllReturned() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, "services: {a: {image: x}}\n---\nservices: {b: {image: y}}\n");
    assertThat(ComposeYaml.load(file, new Origins())).extracting(d -> d.origin().line()).containsExactly(1, 3);
  }
}

package io.walguard.sqlite.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walguard.sqlite.ExitStatus;
import io.walguard.sqlite.support.Toolbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TerminationLogTest {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path dir;

  static Stream<Arguments> oversizedReports() {
    ObjectNode longMessage = report("x".repeat(20_000));
    ObjectNode multiByte = report("\u00e9\u6f22\ud83d\ude00 ".repeat(3_000));
    ObjectNode controlChars = report("\u0001\u0002\"\\\n".repeat(3_000));
    ObjectNode manyShortItems = report("short");
    ArrayNode notes = manyShortItems.putArray("notes");
    for (int i = 0; i < 2_000; i++) notes.add("note " + i);
    ObjectNode nested = report("m".repeat(500));
    ObjectNode inner = nested.putObject("openers");
    for (int i = 0; i < 50; i++) inner.put("detail" + i, "d".repeat(300));
    return Stream.of(
        Arguments.of("a 20 kB message", longMessage),
        Arguments.of("multi-byte characters and surrogate pairs", multiByte),
        Arguments.of("characters JSON must escape", controlChars),
        Arguments.of("thousands of short list entries", manyShortItems),
        Arguments.of("many long nested texts", nested));
  }

  private static ObjectNode report(String message) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("command", "checkpoint");
    r.put("outcome", "busy");
    r.put("exitCode", 1);
    r.put("busy", 1);
    r.put("message", message);
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversizedReports")
  void anOversizedReportIsCutToValidJsonWithin4096Bytes(String what, ObjectNode report) throws Exception {
    byte[] bytes = TerminationLog.fit(MAPPER, report, TerminationLog.LIMIT_BYTES);

    assertThat(bytes.length).isLessThanOrEqualTo(4096);
    JsonNode back = MAPPER.readTree(bytes);
    assertThat(back.get("truncated").asBoolean()).isTrue();
    assertThat(back.get("command").asText()).isEqualTo("checkpoint");
    assertThat(back.get("outcome").asText()).isEqualTo("busy");
    assertThat(back.get("busy").asInt()).isEqualTo(1);
  }

  @Test
  void aReportThatFitsIsWrittenAsIs() throws Exception {
    ObjectNode r = report("fine");
    assertThat(MAPPER.readTree(TerminationLog.fit(MAPPER, r, 4096))).isEqualTo(r);
  }

  @Test
  void theCommandWritesAValidTerminationMessageEvenForAHugeError() throws Exception {
    // A path of 3,000 characters ends up twice in the message: more than a termination message can hold.
    Path deep = dir.resolve("d".repeat(200) + "/" + "e".repeat(200));
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < 12; i++) name.append("segment-").append("s".repeat(240)).append('/');
    Path missing = deep.resolve(name + "app.db");
    Path log = dir.resolve("termination-log");

    Toolbox.Run run = Toolbox.inProcess("checkpoint", missing.toString(), "-o", "json", "--termination-log",
        log.toString());

    assertThat(run.exit()).isEqualTo(ExitStatus.ERROR);
    assertThat(run.stdout().length()).isGreaterThan(4096);
    byte[] written = Files.readAllBytes(log);
    assertThat(written.length).isLessThanOrEqualTo(4096);
    JsonNode json = MAPPER.readTree(written);
    assertThat(json.get("outcome").asText()).isEqualTo("error");
    assertThat(json.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void inAPodTheTerminationLogIsFoundWithoutBeingAsked() throws Exception {
    Path podFile = Files.createFile(dir.resolve("termination-log"));
    assertThat(TerminationLog.resolve(null, podFile)).isEqualTo(podFile);
    assertThat(TerminationLog.resolve(null, dir.resolve("absent"))).isNull();
    assertThat(TerminationLog.resolve(dir.resolve("asked"), dir.resolve("absent"))).isEqualTo(dir.resolve("asked"));
  }
}

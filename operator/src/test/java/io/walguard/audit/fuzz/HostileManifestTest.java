package io.walguard.audit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code walguard audit} fed with generated hostile input, in-process: random and broken YAML, cut files, huge and
 * deeply nested documents, alias bombs, wrong types in every field of every example, bad encodings, broken JSON,
 * Lists of Lists and Compose files treated alike. Every input must get a verdict or a clear refusal
 * ({@link AuditContract}) within {@link #PER_INPUT}. The inputs are seeded: a failure names the input and reproduces.
 */
class HostileManifestTest {

  /** The seed of every random choice; set {@code -Dwalguard.fuzz.seed=N} to explore other inputs. */
  static final long SEED = Long.getLong("walguard.fuzz.seed", 20_240_611L);

  /** Set {@code -Dwalguard.fuzz.scale=N} for N times as many random inputs (and wrong types per field). */
  static final int SCALE = Integer.getInteger("walguard.fuzz.scale", 1);

  /** Set {@code -Dwalguard.fuzz.keep=DIR} to keep every input in DIR, to run one again by hand. */
  static final String KEEP = System.getProperty("walguard.fuzz.keep");

  /** Generous: the slowest input (16 MiB in one value) takes a few seconds on a busy machine. */
  static final Duration PER_INPUT = Duration.ofSeconds(10);

  /** Valid inputs up to this size are audited twice, and must give the same report byte for byte. */
  static final int SAME_AGAIN_MAX_BYTES = 256 * 1024;

  @TempDir static Path dir;

  /** Reports of the valid inputs that variants must reproduce, by input path. */
  private static final Map<String, AuditRun> BASELINES = new ConcurrentHashMap<>();

  private static final List<Examples.Example> EXAMPLES = Examples.all();

  /** The examples themselves, as inputs: the originals that variants are compared with. */
  private static final List<HostileInput> ORIGINALS = originals();

  private static List<HostileInput> originals() {
    List<HostileInput> originals = new ArrayList<>();
    for (int e = 0; e < EXAMPLES.size(); e++) {
      Examples.Example example = EXAMPLES.get(e);
      originals.add(HostileInput.verdict("examples", example.name(), TextFuzz.path("examples", e, example.compose()),
          ByteFuzz.utf8(example.text())));
    }
    return originals;
  }

  private static Random random(String category) {
    return new Random(SEED ^ category.hashCode());
  }

  @TestFactory
  Stream<DynamicTest> randomYaml() {
    Random random = random("random YAML");
    List<HostileInput> inputs = new ArrayList<>(TextFuzz.randomYaml(random, 40 * SCALE));
    inputs.addAll(TextFuzz.mutated(random, EXAMPLES, 70 * SCALE));
    return tests(inputs);
  }

  @TestFactory
  Stream<DynamicTest> explicitYamlTags() {
    return tests(TextFuzz.explicitTags());
  }

  @TestFactory
  Stream<DynamicTest> flowAndBlockStyles() {
    return tests(TextFuzz.restyled(EXAMPLES, ORIGINALS));
  }

  @TestFactory
  Stream<DynamicTest> truncatedFiles() {
    return tests(TextFuzz.truncated(random("truncated"), EXAMPLES, 40 * SCALE));
  }

  @TestFactory
  Stream<DynamicTest> hugeDocuments() {
    return tests(BombFuzz.huge());
  }

  @TestFactory
  Stream<DynamicTest> manyDocuments() {
    return tests(BombFuzz.manyDocuments());
  }

  @TestFactory
  Stream<DynamicTest> deepNesting() {
    return tests(BombFuzz.deepNesting());
  }

  @TestFactory
  Stream<DynamicTest> aliasBombs() {
    return tests(BombFuzz.aliasBombs());
  }

  @TestFactory
  Stream<DynamicTest> wrongTypesInEveryField() {
    return tests(ShapeFuzz.wrongTypes(EXAMPLES));
  }

  @TestFactory
  Stream<DynamicTest> edgeValuesOfDecidingFields() {
    return tests(ShapeFuzz.edgeValues(EXAMPLES));
  }

  @TestFactory
  Stream<DynamicTest> treeMutations() {
    return tests(ShapeFuzz.treeMutations(random("tree mutations"), EXAMPLES, 60 * SCALE));
  }

  @TestFactory
  Stream<DynamicTest> encodings() {
    return tests(ByteFuzz.encodings(random("encodings"), EXAMPLES, ORIGINALS));
  }

  @TestFactory
  Stream<DynamicTest> json() {
    List<HostileInput> inputs = new ArrayList<>(JsonFuzz.asJson(EXAMPLES.stream().filter(e -> !e.compose()).toList(),
        ORIGINALS));
    inputs.addAll(JsonFuzz.broken(random("JSON"), EXAMPLES));
    return tests(inputs);
  }

  @TestFactory
  Stream<DynamicTest> listsOfLists() {
    return tests(JsonFuzz.listsOfLists(EXAMPLES, ORIGINALS));
  }

  @TestFactory
  Stream<DynamicTest> sameValidInputTwiceGivesTheSameReport() {
    return ORIGINALS.stream().map(input -> DynamicTest.dynamicTest(input.name(), () -> {
      Path file = write(input);
      AuditRun first = AuditRun.json(file.toString());
      AuditRun second = AuditRun.json(file.toString());
      AuditContract.holds(input, file.toString(), first);
      assertThat(second).isEqualTo(first);
    }));
  }

  private static Stream<DynamicTest> tests(List<HostileInput> inputs) {
    return inputs.stream().map(input -> DynamicTest.dynamicTest(displayName(input), () -> check(input)));
  }

  static void check(HostileInput input) throws IOException {
    Path file = write(input);
    try {
      AuditRun run = assertTimeoutPreemptively(PER_INPUT, () -> AuditRun.json(file.toString()),
          () -> "no answer within " + PER_INPUT + ": " + input);
      AuditContract.holds(input, file.toString(), run);
      if (input.expect() == HostileInput.Expect.VERDICT && input.bytes().length <= SAME_AGAIN_MAX_BYTES) {
        assertThat(AuditRun.json(file.toString())).as("the same input again: %s", input).isEqualTo(run);
      }
      if (input.sameOutputAs() != null) {
        AuditRun baseline = baseline(input.sameOutputAs());
        assertThat(run.out()).as("the report of %s", input).isEqualTo(baseline.out());
        assertThat(run.status()).isEqualTo(baseline.status());
      }
    } finally {
      if (KEEP == null) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static AuditRun baseline(HostileInput original) {
    return BASELINES.computeIfAbsent(original.path(), path -> {
      try {
        Path file = write(original);
        AuditRun run = AuditRun.json(file.toString());
        AuditContract.holds(original, file.toString(), run);
        return run;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static Path write(HostileInput input) throws IOException {
    Path file = (KEEP == null ? dir : Path.of(KEEP)).resolve(input.path());
    Files.createDirectories(file.getParent());
    Files.write(file, input.bytes());
    return file;
  }

  private static String displayName(HostileInput input) {
    String name = input.name().replaceAll("\\p{Cntrl}", "?");
    return name.length() > 160 ? name.substring(0, 157) + "..." : name;
  }
}

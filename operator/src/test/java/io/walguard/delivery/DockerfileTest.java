package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.walguard.jobs.ToolboxPod;
import io.walguard.sqlite.ToolboxJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * There is no Docker engine here, so the image cannot be built; this checks what goes into it: a build stage that
 * compiles the jar from the sources the build context holds, a JRE runtime stage with the jar, the JVM flags (run for
 * real), the non-root user, the entrypoint, and the toolbox's AppCDS archive: made with the toolbox Jobs' own JVM
 * flags, and usable by them (the archive commands run here, with the image's paths moved into a temporary
 * directory).
 */
class DockerfileTest {

  /** One instruction of the Dockerfile, continuation lines joined. */
  record Instruction(String keyword, String args) {}

  /** A build stage: its FROM arguments and the instructions after it. */
  record Stage(String from, List<Instruction> instructions) {

    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    String only(String keyword) {
      List<String> found = all(keyword);
      assertThat(found).as("%s instructions in the stage FROM %s", keyword, from).hasSize(1);
      return found.get(0);
    }
  }

  static final List<Stage> STAGES = stages();

  static List<Stage> stages() {
    try {
      List<Stage> stages = new ArrayList<>();
      StringBuilder pending = new StringBuilder();
      for (String line : Files.readAllLines(Repo.DOCKERFILE, StandardCharsets.UTF_8)) {
        String trimmed = line.strip();
        if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
          continue;
        }
        if (trimmed.endsWith("\\")) {
          pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
          continue;
        }
        pending.append(trimmed);
        String text = pending.toString();
        pending.setLength(0);
        int space = text.indexOf(' ');
        Instruction instruction = new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip());
        if (instruction.keyword().equals("FROM")) {
          stages.add(new Stage(instruction.args(), new ArrayList<>()));
        } else {
          assertThat(stages).as("an instruction before the first FROM: %s", text).isNotEmpty();
          stages.get(stages.size() - 1).instructions().add(instruction);
        }
      }
      return stages;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Dockerfile", e);
    }
  }

  static Stage build() {
    return STAGES.get(0);
  }

  /** The last stage is the image. */
  static Stage runtime() {
    return STAGES.get(STAGES.size() - 1);
  }

  static List<String> execForm(String keyword) throws IOException {
    return new ObjectMapper().readValue(runtime().only(keyword), new TypeReference<List<String>>() {});
  }

  /** The JAVA_TOOL_OPTIONS the image sets. */
  static String jvmFlags() {
    Matcher m = Pattern.compile("^JAVA_TOOL_OPTIONS=\"([^\"]*)\"$").matcher(runtime().only("ENV"));
    assertThat(m.matches()).as("ENV sets JAVA_TOOL_OPTIONS=\"...\"").isTrue();
    return m.group(1);
  }

  /** The COPY --from=build of the jar: its source in the build stage and its place in the image. */
  static String[] jarCopy() {
    String copy = runtime().all("COPY").stream().filter(c -> c.endsWith(".jar")).findFirst().orElseThrow();
    String[] parts = copy.split("\\s+");
    assertThat(parts).hasSize(3);
    assertThat(parts[0]).isEqualTo("--from=build");
    return parts;
  }

  static String jarInImage() {
    return jarCopy()[2];
  }

  /** The runtime stage's RUN that makes the AppCDS archive. */
  static String archiveRun() {
    return runtime().all("RUN").stream().filter(r -> r.contains("-Xshare:dump")).findFirst()
        .orElseThrow(() -> new AssertionError("no RUN with -Xshare:dump in the runtime stage"));
  }

  /** The JVM flags of the toolbox training runs: the {@code toolbox="..."} variable of the archive's RUN. */
  static List<String> trainingFlags() {
    Matcher m = Pattern.compile("toolbox=\"([^\"]*)\"").matcher(archiveRun());
    assertThat(m.find()).as("the archive's RUN sets toolbox=\"<JVM flags>\"").isTrue();
    return List.of(m.group(1).split(" "));
  }

  @Test
  void aMavenAndJdk17StageBuildsTheJarAndAJreStageRunsIt() {
    assertThat(STAGES).hasSize(2);
    assertThat(build().from()).matches("maven:3\\.9-eclipse-temurin-17 AS build");
    assertThat(runtime().from()).isEqualTo("eclipse-temurin:17-jre");
    assertThat(build().all("RUN")).anySatisfy(run -> assertThat(run).endsWith("mvn -B -DskipTests package"));
    assertThat(jarCopy()[1]).isEqualTo(build().only("WORKDIR") + "/" + Repo.ROOT.relativize(Repo.JAR));
  }

  @Test
  void theBuildStageCopiesEveryModuleOfTheReactorAndWhatTheirPomsReadFromOutside() throws Exception {
    List<String> copied = build().all("COPY").stream().map(c -> c.split("\\s+")[0]).toList();
    Document parent = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Repo.ROOT.resolve("pom.xml").toFile());
    NodeList modules = parent.getElementsByTagName("module");
    List<String> needed = new ArrayList<>(List.of("pom.xml"));
    for (int i = 0; i < modules.getLength(); i++) {
      needed.add(modules.item(i).getTextContent());
    }
    // the operator's pom puts the example stories into the jar for `walguard demo`
    Matcher outside = Pattern.compile("<directory>\\.\\./([^<]+)</directory>")
        .matcher(Files.readString(Repo.ROOT.resolve("operator/pom.xml")));
    while (outside.find()) {
      needed.add(outside.group(1));
    }
    assertThat(copied).containsExactlyInAnyOrderElementsOf(needed);
  }

  @Test
  void theBuildContextHoldsTheSourcesTheBuildStageCopiesAndNoBuildOutput() throws IOException {
    List<String> rules = Files.readAllLines(Repo.ROOT.resolve(".dockerignore"), StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> expected = new ArrayList<>(List.of("*"));
    build().all("COPY").forEach(c -> expected.add("!" + c.split("\\s+")[0]));
    expected.add("**/target");
    assertThat(rules).containsExactlyElementsOf(expected);
  }

  @Test
  void runsAsTheNumericNonRootUserTheChartExpects() {
    String user = runtime().only("USER");
    assertThat(user).matches("\\d+(:\\d+)?");
    long uid = Long.parseLong(user.split(":")[0]);
    assertThat(uid).isPositive();
    var podSecurity = ChartRender.of(DeliveryMode.DEFAULTS).one(Deployment.class, "walguard")
        .getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(uid);
  }

  @Test
  void entrypointRunsTheJarTheBuildMakesWhereTheJobsLookForIt() throws Exception {
    assertThat(execForm("ENTRYPOINT")).containsExactly("java", "-jar", jarInImage());
    assertThat(jarInImage()).isEqualTo(ToolboxPod.JAR);
    // operator/target/walguard.jar is the shade plugin's finalName in operator/pom.xml.
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Repo.ROOT.resolve("operator/pom.xml").toFile());
    NodeList finalNames = pom.getElementsByTagName("finalName");
    assertThat(finalNames.getLength()).isEqualTo(1);
    assertThat(finalNames.item(0).getTextContent() + ".jar").isEqualTo(Repo.JAR.getFileName().toString());
  }

  @Test
  void jvmFlagsFitAContainer() {
    assertThat(jvmFlags().split(" ")).contains(
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:TieredStopAtLevel=1",
        "-Dorg.sqlite.tmpdir=/tmp/sqlite",
        "-Dsun.net.httpserver.nodelay=true")
        .anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage="));
  }

  @Test
  void imageCreatesTheSqliteNativeLibraryDirectory() {
    // sqlite-jdbc does not create org.sqlite.tmpdir; without the directory it cannot load its native library.
    String tmpdir = Arrays.stream(jvmFlags().split(" ")).filter(f -> f.startsWith("-Dorg.sqlite.tmpdir="))
        .findFirst().orElseThrow().substring("-Dorg.sqlite.tmpdir=".length());
    assertThat(runtime().all("RUN")).anySatisfy(run -> assertThat(run).contains("mkdir -p").contains(tmpdir));
  }

  @Test
  void chartPutsTheImagesJvmFlagsFirst() {
    assertThat(ChartOperatorPodTest.envValue(DeliveryMode.DEFAULTS, "JAVA_TOOL_OPTIONS")).hasValue(jvmFlags());
    String withUserOpts = ChartRender.of("javaOpts: -XX:MaxRAMPercentage=50\n").one(Deployment.class, "walguard")
        .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
    // The JVM takes the last of repeated flags: the user's come after the image's.
    assertThat(withUserOpts).isEqualTo(jvmFlags() + " -XX:MaxRAMPercentage=50");
  }

  @Test
  void thisJavaAcceptsTheJvmFlags() throws Exception {
    Result result = java(List.of("-version"));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("Picked up JAVA_TOOL_OPTIONS").doesNotContain("Unrecognized");
  }

  @Test
  void entrypointPrintsTheVersionWithTheImagesFlags() throws Exception {
    assumeTrue(Files.isRegularFile(Repo.JAR),
        "operator/target/walguard.jar is not built; `mvn package` (which runs before the e2e tests) builds it");
    List<String> entrypoint = new ArrayList<>(execForm("ENTRYPOINT"));
    entrypoint.set(entrypoint.indexOf(jarInImage()), Repo.JAR.toString());
    Result result = java(entrypoint.subList(1, entrypoint.size()), "--version");
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("(?m)^walguard " + Pattern.quote(ChartFacts.appVersion()));
  }

  @Test
  void theArchiveIsTrainedWithTheToolboxJobsFlagsAndDumpedWhereTheyLookForIt() {
    assertThat(trainingFlags()).containsExactlyElementsOf(ToolboxJvm.FLAGS);
    String run = archiveRun();
    for (String command : List.of("checkpoint", "inspect", "set-journal-mode", "probe")) {
      assertThat(run).as("a training run of walguard sqlite %s", command)
          .containsPattern("java \\$toolbox -XX:DumpLoadedClassList=\\S+ -jar " + Pattern.quote(ToolboxPod.JAR)
              + " sqlite " + command + " ");
    }
    Matcher dump = Pattern.compile("java (\\S+) -Xshare:dump -XX:SharedClassListFile=\\S+ -XX:SharedArchiveFile=(\\S+)"
        + " -cp (\\S+)").matcher(run);
    assertThat(dump.find()).as("the -Xshare:dump command line").isTrue();
    String gc = ToolboxJvm.FLAGS.stream().filter(f -> f.matches("-XX:\\+Use\\w+GC")).findFirst().orElseThrow();
    // the archive is made with the Jobs' collector, at the path they name, from the class path they run
    assertThat(dump.group(1)).isEqualTo(gc);
    assertThat(dump.group(2)).isEqualTo(ToolboxJvm.CDS_ARCHIVE);
    assertThat(dump.group(3)).isEqualTo(ToolboxPod.JAR).isEqualTo(jarInImage());
    assertThat(run).contains("java $toolbox -Xshare:on -jar " + ToolboxPod.JAR + " sqlite ");
  }

  /** {@code sqlite3 FILE "PRAGMA journal_mode=WAL; ...": the build stage's training database. */
  static final Pattern TRAINING_DB = Pattern.compile("sqlite3 (/\\S+) \"PRAGMA journal_mode=WAL;[^\"]*\"");

  static String trainingDbRun() {
    return build().all("RUN").stream().filter(r -> TRAINING_DB.matcher(r).find()).findFirst()
        .orElseThrow(() -> new AssertionError("no RUN in the build stage makes a WAL database with sqlite3"));
  }

  @Test
  void theTrainingDatabaseIsInWalModeAndReachesTheRuntimeStage() {
    Matcher made = TRAINING_DB.matcher(trainingDbRun());
    assertThat(made.find()).isTrue();
    assertThat(runtime().all("COPY")).contains("--from=build " + made.group(1) + " /tmp/cds/training.db");
  }

  /**
   * The archive's RUN, run here: the image's paths ({@code /opt/walguard}, {@code /tmp}) moved into a temporary
   * directory. It ends with a toolbox run that uses ToolboxJvm.FLAGS and {@code -Xshare:on}, which fails unless the
   * JVM maps the archive; a last run counts the classes that came from it.
   */
  @Test
  void theArchiveTheDockerfileMakesIsMappedByAToolboxRun(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isRegularFile(Repo.JAR),
        "operator/target/walguard.jar is not built; `mvn package` (which runs before the e2e tests) builds it");
    assumeTrue(onPath("sqlite3"), "sqlite3 makes the training database, as in the Dockerfile's build stage");
    Path opt = Files.createDirectories(dir.resolve("opt"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Files.createDirectories(tmp.resolve("cds"));
    Files.copy(Repo.JAR, opt.resolve("walguard.jar"));
    Matcher db = TRAINING_DB.matcher(trainingDbRun());
    assertThat(db.find()).isTrue();
    String makeDb = db.group(0).replace(db.group(1),
        tmp.resolve("cds/training.db").toString());
    assertThat(shell(makeDb).exit()).isZero();

    // placeholders first, so that a replacement never touches the temporary directory's own path
    String script = archiveRun().replace("/opt/walguard/", "@OPT@/").replace("=/tmp", "=@TMP@")
        .replace("/tmp/", "@TMP@/");
    assertThat(script).as("every image path is moved").doesNotContain("/tmp").doesNotContain("/opt");
    script = script.replace("@OPT@", opt.toString()).replace("@TMP@", tmp.toString());
    Result made = shell(script);
    assertThat(made.exit()).as(made.output()).isZero();
    assertThat(opt.resolve("walguard-sqlite.jsa")).isRegularFile();

    List<String> flags = ToolboxJvm.FLAGS.stream()
        .map(f -> f.endsWith("=" + ToolboxJvm.CDS_ARCHIVE) ? f.replace(ToolboxJvm.CDS_ARCHIVE,
            opt.resolve("walguard-sqlite.jsa").toString())
            : f.endsWith("=" + ToolboxJvm.TMPDIR) ? f.replace("=" + ToolboxJvm.TMPDIR, "=" + tmp) : f)
        .toList();
    Files.createDirectories(tmp.resolve("cds"));
    assertThat(shell(makeDb).exit()).isZero();
    List<String> args = new ArrayList<>(flags);
    args.addAll(List.of("-Xshare:on", "-Xlog:class+load=info", "-jar", opt.resolve("walguard.jar").toString(),
        "sqlite", "checkpoint", tmp.resolve("cds/training.db").toString(), "-o", "json", "--termination-log",
        "/dev/null"));
    Result run = java(args);
    assertThat(run.exit()).as(run.output()).isZero();
    long shared = run.output().lines().filter(l -> l.contains("source: shared objects file")).count();
    long fromJar = run.output().lines().filter(l -> l.contains("walguard.jar")).count();
    assertThat(shared).as("classes from the archive").isGreaterThan(1000).isGreaterThan(10 * fromJar);
  }

  record Result(int exit, String output) {}

  /** Runs this machine's java with the image's JAVA_TOOL_OPTIONS, as the image's ENTRYPOINT would. */
  static Result java(List<String> args, String... more) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    command.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("JAVA_TOOL_OPTIONS", jvmFlags());
    return finish(pb.start());
  }

  /** Runs a RUN instruction's shell form with this test's java first on PATH. */
  static Result shell(String script) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    return finish(pb.start());
  }

  private static Result finish(Process p) throws IOException, InterruptedException {
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(5, TimeUnit.MINUTES);
    return new Result(p.exitValue(), output);
  }

  private static boolean onPath(String tool) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}

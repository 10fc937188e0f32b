package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * There is no Docker engine here, so the image cannot be built; this checks what goes into it: the base image,
 * the jar the build makes, the JVM flags (run for real), the non-root user and the entrypoint.
 */
class DockerfileTest {

  /** One instruction of the Dockerfile, continuation lines joined. */
  record Instruction(String keyword, String args) {}

  static final List<Instruction> DOCKERFILE = instructions();

  static List<Instruction> instructions() {
    try {
      List<Instruction> out = new ArrayList<>();
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
        out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Dockerfile", e);
    }
  }

  static List<String> all(String keyword) {
    return DOCKERFILE.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
  }

  static String only(String keyword) {
    List<String> found = all(keyword);
    assertThat(found).as("%s instructions", keyword).hasSize(1);
    return found.get(0);
  }

  static List<String> execForm(String keyword) throws IOException {
    return new ObjectMapper().readValue(only(keyword), new TypeReference<List<String>>() {});
  }

  /** The JAVA_TOOL_OPTIONS the image sets. */
  static String jvmFlags() {
    Matcher m = Pattern.compile("^JAVA_TOOL_OPTIONS=\"([^\"]*)\"$").matcher(only("ENV"));
    assertThat(m.matches()).as("ENV sets JAVA_TOOL_OPTIONS=\"...\"").isTrue();
    return m.group(1);
  }

  /** Where the image puts the jar: the target of the COPY of the Maven build's jar. */
  static String jarInImage() {
    String copy = only("COPY");
    String[] parts = copy.split("\\s+");
    assertThat(parts).hasSize(2);
    assertThat(parts[0]).isEqualTo(Repo.ROOT.relativize(Repo.JAR).toString());
    return parts[1];
  }

  @Test
  void baseImageIsAJava17Jre() {
    assertThat(only("FROM")).isEqualTo("eclipse-temurin:17-jre");
  }

  @Test
  void runsAsTheNumericNonRootUserTheChartExpects() {
    String user = only("USER");
    assertThat(user).matches("\\d+(:\\d+)?");
    long uid = Long.parseLong(user.split(":")[0]);
    assertThat(uid).isPositive();
    var podSecurity = ChartRender.of(DeliveryMode.DEFAULTS).one(Deployment.class, "walguard")
        .getSpec().getTemplate().getSpec().getSecurityContext();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(uid);
  }

  @Test
  void entrypointRunsTheJarTheBuildMakes() throws Exception {
    assertThat(execForm("ENTRYPOINT")).containsExactly("java", "-jar", jarInImage());
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
    assertThat(all("RUN")).anySatisfy(run -> assertThat(run).contains("mkdir -p").contains(tmpdir));
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
  void onlyTheJarIsSentToTheDockerDaemon() throws IOException {
    List<String> rules = Files.readAllLines(Repo.ROOT.resolve(".dockerignore"), StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertThat(rules).containsExactly("*", "!" + Repo.ROOT.relativize(Repo.JAR));
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
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(2, TimeUnit.MINUTES);
    return new Result(p.exitValue(), output);
  }
}

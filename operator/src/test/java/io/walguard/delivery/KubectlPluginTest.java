package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kubectl-walguard, run by /bin/sh (dash on Debian, so no bashisms) with stand-ins for java and walguard that
 * print the command line they were given.
 */
class KubectlPluginTest {

  static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

  @TempDir Path dir;

  record Run(int exit, String stdout, String stderr) {}

  /** A copy of the plugin in its own folder, away from the checkout's operator/target/walguard.jar. */
  Path installedPlugin() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("plugin"));
    Path plugin = bin.resolve("kubectl-walguard");
    Files.copy(Repo.PLUGIN, plugin);
    return plugin;
  }

  /** A command that prints its own name and its arguments, one a line. */
  Path echoCommand(Path folder, String name) throws IOException {
    Files.createDirectories(folder);
    Path command = folder.resolve(name);
    Files.writeString(command, "#!/bin/sh\necho " + name + "\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
    return command;
  }

  Run run(Path plugin, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/bin/sh", plugin.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("WALGUARD_JAR");
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("WALGUARD_JAVA_OPTS");
    pb.environment().put("PATH", SYSTEM_PATH);
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    Process p = pb.start();
    p.waitFor(2, TimeUnit.MINUTES);
    return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
  }

  @Test
  void runsTheJarNamedByWalguardJarWithTheArgumentsGiven() throws Exception {
    Path jar = Files.writeString(dir.resolve("walguard.jar"), "");
    echoCommand(dir.resolve("jdk/bin"), "java");
    Run run = run(installedPlugin(), Map.of("WALGUARD_JAR", jar.toString(), "JAVA_HOME", dir.resolve("jdk").toString(),
        "WALGUARD_JAVA_OPTS", "-Xmx64m -Xshare:auto"), "audit", "-f", "my manifests/", "-o", "json");
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines()).containsExactly(
        "java", "-Xmx64m", "-Xshare:auto", "-jar", jar.toString(), "audit", "-f", "my manifests/", "-o", "json");
  }

  @Test
  void findsTheJarNextToItselfThroughASymlink() throws Exception {
    Path plugin = installedPlugin();
    Path jar = Files.writeString(plugin.resolveSibling("walguard.jar"), "");
    Path onPath = Files.createDirectories(dir.resolve("path"));
    Files.createSymbolicLink(onPath.resolve("kubectl-walguard"), plugin);
    Path tools = dir.resolve("tools");
    echoCommand(tools, "java");
    Run run = run(onPath.resolve("kubectl-walguard"), Map.of("PATH", tools + ":" + SYSTEM_PATH), "audit");
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines()).containsExactly("java", "-jar", jar.toRealPath().toString(), "audit");
  }

  @Test
  void fallsBackToWalguardOnPath() throws Exception {
    Path tools = dir.resolve("tools");
    echoCommand(tools, "walguard");
    Run run = run(installedPlugin(), Map.of("PATH", tools + ":" + SYSTEM_PATH), "audit", "--all-namespaces");
    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines()).containsExactly("walguard", "audit", "--all-namespaces");
  }

  @Test
  void aWalguardJarThatIsNotThereIsNamed() throws Exception {
    Run run = run(installedPlugin(), Map.of("WALGUARD_JAR", "/nowhere/walguard.jar"), "audit");
    assertThat(run.exit()).isNotZero();
    assertThat(run.stderr()).contains("WALGUARD_JAR=/nowhere/walguard.jar is not a file");
  }

  @Test
  void nothingToRunSaysWhatToInstall() throws Exception {
    Run run = run(installedPlugin(), Map.of(), "audit");
    assertThat(run.exit()).isEqualTo(127);
    assertThat(run.stderr()).contains("walguard not found").contains("WALGUARD_JAR");
  }

  @Test
  void noJavaForTheJarSaysSo() throws Exception {
    Path jar = Files.writeString(dir.resolve("walguard.jar"), "");
    Run run = run(installedPlugin(), Map.of("WALGUARD_JAR", jar.toString(), "JAVA_HOME", dir.resolve("nojdk").toString()));
    assertThat(run.exit()).isEqualTo(127);
    assertThat(run.stderr()).contains("no java").contains("JAVA_HOME");
  }

  @Test
  void kubectlListsItAsAPlugin() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed here");
    assertThat(Files.isExecutable(Repo.PLUGIN)).as("bin/kubectl-walguard is executable").isTrue();
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/kubectl", "plugin", "list").redirectErrorStream(true);
    pb.environment().put("PATH", Repo.PLUGIN.getParent() + ":" + SYSTEM_PATH);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(1, TimeUnit.MINUTES);
    assertThat(out).contains(Repo.PLUGIN.toString()).doesNotContain("warning");
  }

  @Test
  void kubectlWalguardRunsTheBuiltJarOfACheckout() throws Exception {
    assumeTrue(Files.isRegularFile(Repo.JAR),
        "operator/target/walguard.jar is not built; `mvn package` (which runs before the e2e tests) builds it");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed here");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/kubectl", "walguard", "--version").redirectErrorStream(true);
    pb.environment().put("PATH", Repo.PLUGIN.getParent() + ":" + Path.of(System.getProperty("java.home"), "bin")
        + ":" + SYSTEM_PATH);
    pb.environment().remove("WALGUARD_JAR");
    pb.environment().remove("JAVA_HOME");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(2, TimeUnit.MINUTES);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).containsPattern("(?m)^walguard " + Pattern.quote(ChartFacts.appVersion()));
  }
}

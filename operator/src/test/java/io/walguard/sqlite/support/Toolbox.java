package io.walguard.sqlite.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walguard.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code walguard sqlite ...} through the real picocli command line, in this JVM or in a child process. */
public final class Toolbox {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What a run printed and returned; {@code json} is stdout parsed as one JSON document (null when not JSON). */
  public record Run(int exit, String stdout, String stderr, JsonNode json) {}

  private Toolbox() {}

  public static Run inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("sqlite"));
    all.addAll(List.of(args));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString(), parse(out.toString()));
  }

  /** {@code java -cp <this build> io.walguard.cli.Main sqlite ARGS}: a real process, as a Job runs it. */
  public static Run inChild(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> sqliteArgs = new ArrayList<>(List.of("sqlite"));
    sqliteArgs.addAll(List.of(args));
    List<String> cmd = ChildJvm.javaCommand(Main.class, sqliteArgs.toArray(String[]::new));
    Path out = Files.createTempFile("walguard-out", ".txt");
    Path err = Files.createTempFile("walguard-err", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("walguard " + sqliteArgs + " did not finish within " + timeout);
      }
      String stdout = Files.readString(out);
      return new Run(p.exitValue(), stdout, Files.readString(err), parse(stdout));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return text.isBlank() ? null : MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  public static JsonNode readJson(Path file) throws IOException {
    return MAPPER.readTree(Files.readAllBytes(file));
  }
}

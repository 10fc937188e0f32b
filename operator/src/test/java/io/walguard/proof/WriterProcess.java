package io.walguard.proof;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The parent's handle on one {@link RowWriterProcess}: a real, separate JVM with its own sqlite-jdbc, so that the
 * two writers of a trial share nothing but the files and the kernel.
 */
final class WriterProcess implements AutoCloseable {

  /** A write command answers well within this even on two slow cores; beyond it the child is taken as hung. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private WriterProcess(Process process) {
    this.process = process;
    this.stdin = process.outputWriter(StandardCharsets.UTF_8);
    Thread reader = new Thread(this::pump, "writer-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static WriterProcess start(Path workDirectory) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Small, quick-starting JVMs: two of them share two cores with the build.
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k"));
    // sqlite-jdbc loads a native library; newer JDKs warn about (and will refuse) that without this.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(List.of("-cp", absoluteClassPath(), RowWriterProcess.class.getName()));
    Process process =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    return new WriterProcess(process);
  }

  /** The child runs in the trial's directory, so relative class path entries must be made absolute. */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void pump() {
    try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    } catch (IOException ended) {
      // The child is gone; await() reports that as a missing answer.
    }
    lines.add("exited");
  }

  /** Sends a command without waiting, so that both writers of a trial can run it at the same time. */
  void send(String command) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException gone) {
      // The child has ended; the next await() answers "exited".
    }
  }

  /**
   * Collects the lines of the answer up to and including the one that starts with {@code last}. A child that dies or
   * hangs yields an answer ending in "exited" or "timeout" instead.
   */
  List<String> await(String last) throws InterruptedException {
    List<String> answer = new ArrayList<>();
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        answer.add("timeout");
        process.destroyForcibly();
        return answer;
      }
      if (line.equals("exited")) {
        // Every later question gets the same answer: the process is gone.
        lines.add(line);
      }
      answer.add(line);
      if (line.startsWith(last) || line.startsWith("failed") || line.equals("exited")) {
        return answer;
      }
    }
  }

  List<String> call(String command, String last) throws InterruptedException {
    send(command);
    return await(last);
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    send("exit");
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}

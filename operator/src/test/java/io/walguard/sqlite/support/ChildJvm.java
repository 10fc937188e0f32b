package io.walguard.sqlite.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A second JVM running a main class of this build, driven line by line over stdin and stdout. */
public final class ChildJvm implements AutoCloseable {

  private static final String EOF = "\u0000eof";
  private final Process process;
  private final PrintWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();

  private ChildJvm(Process process) {
    this.process = process;
    this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
    pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
  }

  /**
   * The java binary and class path of this JVM, with the small-JVM flags (these children are short-lived too) and
   * SQLite's native library unpacked once for all of them: a child killed with SIGKILL cannot delete the copy
   * sqlite-jdbc would otherwise unpack into the temp directory for every process.
   */
  public static List<String> javaCommand(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xms8m", "-XX:-UsePerfData"));
    cmd.addAll(NativeLibrary.FLAGS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  public static ChildJvm start(Class<?> main, String... args) throws IOException {
    return new ChildJvm(new ProcessBuilder(javaCommand(main, args)).start());
  }

  private void pump(BufferedReader reader, boolean out) {
    Thread t = new Thread(() -> {
      try (reader) {
        for (String line; (line = reader.readLine()) != null; ) {
          if (out) lines.add(line);
          else stderr.append(line).append('\n');
        }
      } catch (IOException ignored) {
        // The process is gone.
      }
      if (out) lines.add(EOF);
    });
    t.setDaemon(true);
    t.start();
  }

  /** The next line of stdout, or an AssertionError naming what the child said on stderr. */
  public String readLine(Duration timeout) {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) throw new AssertionError("child said nothing within " + timeout + "; stderr: " + stderr);
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new AssertionError("child exited; stderr: " + stderr);
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next line, or null when the child has closed stdout (it exited). */
  public String readLineOrEnd(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) throw new AssertionError("child said nothing within " + timeout + "; stderr: " + stderr);
    if (line.equals(EOF)) {
      lines.add(EOF);
      return null;
    }
    return line;
  }

  /** Lines already printed, without waiting. */
  public List<String> drain() {
    List<String> out = new ArrayList<>();
    lines.drainTo(out);
    if (out.remove(EOF)) lines.add(EOF);
    return out;
  }

  public String ask(String command) {
    in.println(command);
    return readLine(Duration.ofSeconds(30));
  }

  public void send(String command) {
    in.println(command);
  }

  /** SIGKILL: what a node does to a pod it evicts, and what a crash looks like to SQLite. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit within " + timeout + "; stderr: " + stderr);
    }
    return process.exitValue();
  }

  public String stderr() {
    return stderr.toString();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      in.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) kill();
    }
  }
}

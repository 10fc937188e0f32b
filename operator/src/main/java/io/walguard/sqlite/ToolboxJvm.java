package io.walguard.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * How to start the JVM for one-shot toolbox runs (checkpoint, set-journal-mode, probe), where start-up dominates:
 * the serial collector (no GC threads to start), the C1 compiler only (nothing runs long enough for C2 to pay), a
 * small heap that starts smaller still (the young generation a run touches is what its resident size is made of),
 * no perf-data file, the application class-data archive built into the image, and the native library
 * unpacked to the writable {@code /tmp} emptyDir of a read-only root filesystem. docs/sqlite-toolbox.md explains
 * each flag and how the archive is made.
 */
public final class ToolboxJvm {

  /** Where the image keeps the static AppCDS archive of the toolbox classes (see docs/sqlite-toolbox.md). */
  public static final String CDS_ARCHIVE = "/opt/walguard/walguard-sqlite.jsa";
  /** A writable directory in the pod (an emptyDir) for sqlite-jdbc's native library and Java's temp files. */
  public static final String TMPDIR = "/tmp";

  /**
   * The JVM flags, in order, for a Job or CronJob container command ({@code java FLAGS -jar walguard.jar sqlite ...}).
   * A missing archive is ignored by the JVM (it starts without it, only slower).
   */
  public static final List<String> FLAGS = List.of(
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      "-Xss512k",
      "-Xms8m",
      "-Xmx64m",
      "-XX:-UsePerfData",
      "-Xshare:auto",
      "-XX:SharedArchiveFile=" + CDS_ARCHIVE,
      "-Dorg.sqlite.tmpdir=" + TMPDIR,
      "-Djava.io.tmpdir=" + TMPDIR);

  private ToolboxJvm() {}

  /** {@code java FLAGS -jar JAR sqlite ARGS...}: the full container command for a toolbox run. */
  public static List<String> command(String java, String jar, List<String> sqliteArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(FLAGS);
    cmd.add("-jar");
    cmd.add(jar);
    cmd.add("sqlite");
    cmd.addAll(sqliteArgs);
    return cmd;
  }
}

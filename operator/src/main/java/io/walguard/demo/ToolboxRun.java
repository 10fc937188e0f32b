package io.walguard.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.walguard.cli.Main;
import io.walguard.jobs.ToolboxPod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The container of one of walguard's toolbox pods, run for real in this process: the {@code walguard sqlite ...}
 * arguments of the pod template, with the claim's mount path pointed at a directory that stands in for the volume
 * ({@code <volumes>/<namespace>/<claim>/}) and holds a real SQLite database. What the toolbox writes to its
 * termination log becomes the finished pod's termination message, as the kubelet would copy it, which is where the
 * operator reads results from.
 */
public final class ToolboxRun {

  /** What the container did: its exit code, what it wrote to the termination log, and the command line. */
  public record Result(int exitCode, String terminationMessage, List<String> command) {

    /** The command as the pod ran it: {@code sqlite ...} with the pod's paths. */
    public String shown() {
      return String.join(" ", command);
    }
  }

  private ToolboxRun() {}

  /** The directory standing in for a claim's volume. */
  public static Path volume(Path volumes, String namespace, String claim) throws IOException {
    return Files.createDirectories(volumes.resolve(namespace).resolve(claim));
  }

  /** The claim a toolbox pod mounts at {@link ToolboxPod#MOUNT}. */
  public static String claim(PodSpec pod) {
    String name = container(pod).getVolumeMounts().stream().filter(m -> ToolboxPod.MOUNT.equals(m.getMountPath()))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("the toolbox pod mounts no claim at "
            + ToolboxPod.MOUNT)).getName();
    return pod.getVolumes().stream().filter(v -> name.equals(v.getName())).map(Volume::getPersistentVolumeClaim)
        .filter(java.util.Objects::nonNull).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("volume " + name + " is not a claim")).getClaimName();
  }

  /** The database file the pod works on, inside {@code volume}: the argument under the mount path. */
  public static Path database(PodSpec pod, Path volume) {
    return sqliteArgs(pod).stream().filter(a -> a.startsWith(ToolboxPod.MOUNT + "/")).findFirst()
        .map(a -> volume.resolve(a.substring(ToolboxPod.MOUNT.length() + 1)))
        .orElseThrow(() -> new IllegalArgumentException("the toolbox pod names no file under " + ToolboxPod.MOUNT));
  }

  /**
   * Creates the database in WAL mode, as the application would have, with {@code rows} rows and automatic checkpoints
   * off, and returns the application's connection: keep it open to keep the WAL, close it to let go of the file.
   */
  public static Connection applicationWrites(Path database, int rows) throws SQLException {
    Connection app = DriverManager.getConnection("jdbc:sqlite:" + database);
    try (Statement sql = app.createStatement()) {
      sql.execute("PRAGMA journal_mode=WAL");
      sql.execute("PRAGMA wal_autocheckpoint=0");
      sql.execute("CREATE TABLE IF NOT EXISTS app_state (id INTEGER PRIMARY KEY, data TEXT)");
      for (int i = 0; i < rows; i++) {
        sql.execute("INSERT INTO app_state (data) VALUES (hex(randomblob(2000)))");
      }
    } catch (SQLException e) {
      app.close();
      throw e;
    }
    return app;
  }

  /** Runs the pod's {@code walguard sqlite ...} command on {@code volume}, in this process. */
  public static Result run(PodSpec pod, Path volume) throws IOException {
    List<String> shown = sqliteArgs(pod);
    List<String> args = new ArrayList<>();
    for (String arg : shown) {
      args.add(arg.startsWith(ToolboxPod.MOUNT) ? volume + arg.substring(ToolboxPod.MOUNT.length()) : arg);
    }
    Path terminationLog = Files.createTempFile(volume.getParent(), "termination-log", "");
    try {
      args.add("--termination-log");
      args.add(terminationLog.toString());
      PrintWriter sink = new PrintWriter(new StringWriter());
      int exit = new CommandLine(new Main()).setOut(sink).setErr(sink).execute(args.toArray(String[]::new));
      return new Result(exit, Files.readString(terminationLog), shown);
    } finally {
      Files.deleteIfExists(terminationLog);
    }
  }

  /** The pod a Job's controller and the kubelet would leave behind: finished, on {@code node}, with the result. */
  public static Pod finishedPod(KubernetesClient client, Job job, String podName, String node, Result result) {
    Map<String, String> labels = new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    Instant finished = Instant.now();
    boolean ok = result.exitCode() == 0;
    return client.resource(new PodBuilder()
        .withNewMetadata().withNamespace(job.getMetadata().getNamespace()).withName(podName).withLabels(labels)
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase(ok ? "Succeeded" : "Failed").withStartTime(finished.minusSeconds(1).toString())
          .addNewContainerStatus().withName(container(job.getSpec().getTemplate().getSpec()).getName())
            .withImage(container(job.getSpec().getTemplate().getSpec()).getImage()).withReady(false)
            .withRestartCount(0).withNewState().withNewTerminated().withExitCode(result.exitCode())
              .withReason(ok ? "Completed" : "Error")
              .withStartedAt(finished.minusSeconds(1).toString()).withFinishedAt(finished.toString())
              .withMessage(result.terminationMessage()).endTerminated().endState()
          .endContainerStatus()
        .endStatus()
        .build()).create();
  }

  private static List<String> sqliteArgs(PodSpec pod) {
    List<String> args = container(pod).getArgs();
    int sqlite = args.indexOf("sqlite");
    if (sqlite < 0) {
      throw new IllegalArgumentException("the toolbox pod does not run walguard sqlite: " + args);
    }
    return args.subList(sqlite, args.size());
  }

  private static Container container(PodSpec pod) {
    return pod.getContainers().get(0);
  }
}

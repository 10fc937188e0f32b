package io.walguard.sqlite.safety;

import io.walguard.cli.Main;
import io.walguard.sqlite.support.ChildJvm;
import io.walguard.sqlite.support.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Kills a toolbox process with SIGKILL at a random moment while an application commits numbered rows, and checks
 * after every trial that the database is sound and holds every row the application saw committed. In about one trial
 * in four the application is killed as well. A fresh database every {@link #TRIALS_PER_DATABASE} trials keeps
 * integrity_check cheap.
 */
public final class CrashTrials {

  /** Which toolbox command is killed. */
  public enum Target {
    /** {@code checkpoint} in a random mode while the application keeps its connection. */
    CHECKPOINT,
    /** {@code set-journal-mode} to DELETE or back to WAL while the application opens a connection per commit. */
    SET_JOURNAL_MODE
  }

  /** What the trials found; a failure names its trial, seed and what was wrong. */
  public record Result(Target target, int trials, int failures, long rowsChecked, int killedWhileRunning,
      int finishedBeforeKill, int applicationKills, long seed, List<String> failureDetails) {

    public String summary() {
      return target + ": " + trials + " trials, " + failures + " failures, " + rowsChecked + " rows checked; the "
          + "toolbox was killed while running in " + killedWhileRunning + " trials and had finished in "
          + finishedBeforeKill + "; the application was killed too in " + applicationKills + " (seed " + seed + ")";
    }
  }

  static final int TRIALS_PER_DATABASE = 20;
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Random random;
  private final long seed;

  public CrashTrials(Path dir, long seed) {
    this.dir = dir;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** Exactly {@code trials} trials. */
  public Result run(Target target, int trials) throws Exception {
    return run(target, trials, trials, null);
  }

  /**
   * Trials until {@code budget} has passed, but at least {@code min} and at most {@code max}: on a loaded machine
   * every JVM start is slower, and the suite should still finish in about the same time.
   */
  public Result run(Target target, int min, int max, Duration budget) throws Exception {
    long calibration = calibrateMillis(target);
    long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
    int failures = 0;
    long rowsChecked = 0;
    int killedRunning = 0;
    int finishedFirst = 0;
    int appKills = 0;
    List<String> details = new ArrayList<>();
    ChildJvm app = null;
    Path db = null;
    long lastSeen = 0;
    try {
      int trial = 0;
      while (trial < max && (trial < min || System.nanoTime() < deadline)) {
        trial++;
        if ((trial - 1) % TRIALS_PER_DATABASE == 0) {
          if (app != null) app.kill();
          app = null;
          db = dir.resolve(target.name().toLowerCase() + "-" + trial + ".db");
          Sql.exec(db, "pragma journal_mode=wal", "create table rows(n integer primary key, pad blob)");
          lastSeen = 0;
        }
        if (app == null) app = startApplication(db, target);
        lastSeen = waitForRows(app, lastSeen, 10 + random.nextInt(40));

        Process tool = new ProcessBuilder(ChildJvm.javaCommand(Main.class, toolArgs(target, db)))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        long delay = (long) (calibration * (0.2 + random.nextDouble()));
        boolean killApp = random.nextInt(4) == 0;
        long appDelay = (long) (delay * random.nextDouble());
        Thread.sleep(appDelay);
        if (killApp) {
          app.kill();
          appKills++;
        }
        Thread.sleep(delay - appDelay);
        if (tool.isAlive()) {
          tool.destroyForcibly();
          killedRunning++;
        } else {
          finishedFirst++;
        }
        if (!tool.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          tool.destroyForcibly();
          throw new IllegalStateException("trial " + trial + ": the toolbox did not end after SIGKILL");
        }
        lastSeen = Math.max(lastSeen, latest(app));
        if (killApp) app = null;

        String problem = verify(db, lastSeen);
        if (problem != null) {
          failures++;
          details.add("trial " + trial + " (" + db.getFileName() + "): " + problem);
        }
        rowsChecked += lastSeen;
      }
    } finally {
      if (app != null) app.kill();
    }
    return new Result(target, killedRunning + finishedFirst, failures, rowsChecked, killedRunning, finishedFirst,
        appKills, seed, details);
  }

  private ChildJvm startApplication(Path db, Target target) throws IOException {
    ChildJvm app = ChildJvm.start(NumberedWriter.class, db.toString(),
        target == Target.CHECKPOINT ? "keep" : "reopen");
    String ready = app.readLine(Duration.ofSeconds(60));
    if (!ready.startsWith("ready ")) throw new IllegalStateException("the application said " + ready);
    return app;
  }

  /** Reads the application's output until it has committed {@code more} rows past {@code seen}. */
  private static long waitForRows(ChildJvm app, long seen, int more) {
    long target = seen + more;
    long latest = seen;
    while (latest < target) {
      String line = app.readLine(Duration.ofSeconds(60));
      if (line.startsWith("committed ")) latest = Long.parseLong(line.substring(10));
    }
    return latest;
  }

  /** The highest number the application has printed so far (it may be dead: whatever it printed before). */
  private static long latest(ChildJvm app) {
    long latest = 0;
    for (String line : app.drain()) {
      if (line.startsWith("committed ")) latest = Math.max(latest, Long.parseLong(line.substring(10)));
    }
    return latest;
  }

  private String[] toolArgs(Target target, Path db) {
    if (target == Target.CHECKPOINT) {
      String mode = List.of("PASSIVE", "FULL", "RESTART", "TRUNCATE").get(random.nextInt(4));
      return new String[] {"sqlite", "checkpoint", db.toString(), "--mode", mode, "--busy-timeout", "2s", "-o", "json",
          "--termination-log", dir.resolve("termination-log").toString()};
    }
    String mode = random.nextBoolean() ? "DELETE" : "WAL";
    return new String[] {"sqlite", "set-journal-mode", db.toString(), "--mode", mode, "--timeout", "3s", "-o", "json",
        "--termination-log", dir.resolve("termination-log").toString()};
  }

  /** Null when integrity_check is ok and rows 1..lastSeen are all there, else what is wrong. */
  static String verify(Path db, long lastSeen) throws SQLException {
    String integrity = Sql.integrityCheck(db);
    if (!integrity.equals("ok")) return "integrity_check: " + integrity;
    long present = Long.parseLong(Sql.column(db, "select count(*) from rows where n <= " + lastSeen).get(0));
    if (present != lastSeen) return (lastSeen - present) + " of " + lastSeen + " rows the application saw committed are missing";
    return null;
  }

  /** How long an unkilled run of the toolbox takes here, so kills land across its whole life, start-up included. */
  private long calibrateMillis(Target target) throws Exception {
    Path db = dir.resolve("calibration-" + target.name().toLowerCase() + ".db");
    Sql.createWal(db, 100);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      Process p = new ProcessBuilder(ChildJvm.javaCommand(Main.class, toolArgs(target, db)))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      times.add((System.nanoTime() - start) / 1_000_000);
    }
    Files.deleteIfExists(db);
    return times.stream().sorted().toList().get(1);
  }
}

package io.walguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single {@code walguard} binary: the operator, the audit CLI, the SQLite toolbox and the demo. */
@Command(
    name = "walguard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Keeps SQLite databases in WAL mode safe on Kubernetes volumes.",
    subcommands = {
      AuditCommand.class,
      RunCommand.class,
      SqliteCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    prepareSqliteTmpdir();
    System.exit(execute(args));
  }

  /**
   * sqlite-jdbc unpacks its native library into {@code org.sqlite.tmpdir} but does not create that directory; on a
   * read-only root filesystem it points into an emptyDir that starts out empty.
   */
  static void prepareSqliteTmpdir() {
    String dir = System.getProperty("org.sqlite.tmpdir");
    if (dir != null && !dir.isBlank()) {
      try {
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
      } catch (java.io.IOException | RuntimeException e) {
        System.err.println("walguard: cannot create org.sqlite.tmpdir " + dir + ": " + e.getMessage());
      }
    }
  }

  /** Runs a command line and returns its exit status, for tests and for {@link #main}. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}

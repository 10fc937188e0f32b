package io.walguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code walguard sqlite}. */
@Command(name = "sqlite", description = "The SQLite toolbox that runs next to the database file: checkpoint, inspect, set-journal-mode, probe.")
public final class SqliteCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("walguard sqlite: not built yet");
    return 2;
  }
}

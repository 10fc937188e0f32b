package io.walguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code walguard audit}: the decision core on manifests on disk or on the current cluster. */
@Command(name = "audit", description = "Report, database by database, whether SQLite WAL is safe.")
public final class AuditCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("walguard audit: not built yet");
    return 2;
  }
}

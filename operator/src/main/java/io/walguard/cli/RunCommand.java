package io.walguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code walguard run}. */
@Command(name = "run", description = "Run the operator (and its admission webhook) against the current cluster.")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("walguard run: not built yet");
    return 2;
  }
}

package io.walguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code walguard demo}. */
@Command(name = "demo", description = "Start an embedded API server, apply example stories and narrate what walguard does.")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("walguard demo: not built yet");
    return 2;
  }
}

package io.walguard.cli;

import io.walguard.sqlite.cli.CheckpointCommand;
import io.walguard.sqlite.cli.InspectCommand;
import io.walguard.sqlite.cli.ProbeCommand;
import io.walguard.sqlite.cli.SetJournalModeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code walguard sqlite}: the toolbox that runs in short-lived pods next to the database file. Every subcommand
 * prints a summary or one JSON document ({@code -o json}) and, inside a pod, leaves the JSON in the termination
 * message. Exit status: 0 done, 1 not achieved (busy, gave up, damage found), 2 bad input or error.
 */
@Command(name = "sqlite", mixinStandardHelpOptions = true,
    description = "The SQLite toolbox that runs next to the database file: checkpoint, inspect, set-journal-mode, probe.",
    subcommands = {CheckpointCommand.class, InspectCommand.class, SetJournalModeCommand.class, ProbeCommand.class})
public final class SqliteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Picocli calls this when no subcommand was given. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}

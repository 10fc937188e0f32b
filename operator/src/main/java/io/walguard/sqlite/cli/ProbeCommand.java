package io.walguard.sqlite.cli;

import io.walguard.sqlite.SqliteVersion;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.probe.FilesystemProbe;
import io.walguard.sqlite.report.ToolboxReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Report the filesystem that really backs PATH (from /proc/self/mountinfo, checked against statfs), "
        + "classify it as local, network or fuse, and check live that POSIX byte-range locks and shared mmap work "
        + "there.",
        "Exit status: 0 done, 1 locks or shared mmap do not work there, 2 error."})
public final class ProbeCommand extends ToolboxCommand {

  @Parameters(index = "0", paramLabel = "PATH", description = "A directory on the volume, or the database file.")
  Path path;

  @Override
  String target() {
    return path.toString();
  }

  @Override
  boolean needsSqlite() {
    return false;
  }

  @Override
  ToolboxReport run(SqliteVersion library) throws ToolboxException {
    return FilesystemProbe.forThisProcess().probe(path);
  }
}

package io.walguard.sqlite.probe;

import io.walguard.sqlite.ExitStatus;
import io.walguard.sqlite.ToolboxException;
import io.walguard.sqlite.report.Timestamps;
import io.walguard.storage.DriverTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Which filesystem really backs a path, what kind of storage that is, and whether locks and mmap work on it. */
public final class FilesystemProbe {

  private static final List<String> LOCK_OPTION_NAMES = List.of("nolock", "lock", "local_lock", "nobrl", "brl",
      "localflock", "vers", "nfsvers");
  static final String ONE_KERNEL_NOTE = "the live checks ran in two processes on this node's kernel: they show the "
      + "filesystem supports locks and shared mappings, not that a process on another node sees them; across nodes "
      + "no network filesystem keeps the -shm mapping coherent, and nolock/local_lock/nobrl keep locks on one node";

  private final Path mountinfo;
  private final DriverTable storageTable;
  private final LiveChecks liveChecks;
  private final Statfs statfs;

  public FilesystemProbe(Path mountinfo, DriverTable storageTable, LiveChecks liveChecks, Statfs statfs) {
    this.mountinfo = mountinfo;
    this.storageTable = storageTable;
    this.liveChecks = liveChecks;
    this.statfs = statfs;
  }

  /** This process's mounts, the built-in storage table, statfs through coreutils, and a second JVM for live checks. */
  public static FilesystemProbe forThisProcess() {
    return new FilesystemProbe(MountTable.PROC_SELF_MOUNTINFO, DriverTable.builtIn(), LiveChecks.withThisJvm(),
        Statfs.withCoreutils());
  }

  public ProbeReport probe(Path path) throws ToolboxException {
    if (!Files.exists(path)) {
      throw new ToolboxException("path " + path + " does not exist; give the directory the volume is mounted at, "
          + "or the database file in it");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw new ToolboxException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
    MountTable table;
    try {
      table = MountTable.read(mountinfo);
    } catch (IOException e) {
      throw new ToolboxException("cannot read " + mountinfo + " (" + e.getMessage() + "): the probe needs Linux's "
          + "/proc", e);
    }
    MountEntry mount = table.backing(real.toString()).orElseThrow(() -> new ToolboxException(
        "no mount in " + mountinfo + " covers " + real + "; is /proc the one of this container?"));
    Statfs.Answer statfsAnswer = statfs.read(real, mount.fstype());
    String fstype = mount.fstype();
    FilesystemKinds.Match match = FilesystemKinds.of(storageTable, fstype);
    String evidence = match.rule() + " at " + mount.mountPoint() + " (source " + mount.source() + "); "
        + statfsAnswer.describe();
    if (Boolean.FALSE.equals(statfsAnswer.agrees())) {
      // The kernel's answer for the path itself wins over a mount table entry matched by its mount point.
      fstype = statfsAnswer.names().get(0);
      match = FilesystemKinds.of(storageTable, fstype);
      evidence = match.rule() + " from statfs f_type " + statfsAnswer.type() + " of the path itself; the mount table"
          + " entry at " + mount.mountPoint() + " says " + mount.fstype() + " (source " + mount.source() + "), so its"
          + " source and options may not be this path's: is /proc this container's?";
    }
    List<String> lockOptions = mount.optionList().stream().filter(FilesystemProbe::isLockOption).distinct().toList();

    Path directory = Files.isDirectory(real) ? real : real.getParent();
    LiveChecks.Result live = liveChecks.run(directory);
    boolean broken = live.posixLocks().isBroken() || live.sharedMmap().isBroken();
    String message = "backed by " + fstype + " (" + match.kind() + ")"
        + (lockOptions.isEmpty() ? "" : " with " + String.join(",", lockOptions))
        + "; POSIX locks " + live.posixLocks().status() + ", shared mmap " + live.sharedMmap().status();
    return new ProbeReport("probe", path.toString(), broken ? "checks-failed" : "ok",
        broken ? ExitStatus.NOT_ACHIEVED : ExitStatus.OK, message, Timestamps.now(), real.toString(), match.kind(),
        evidence, fstype, mount.source(), mount.allOptions(), lockOptions, mount.mountPoint(), mount.root(),
        statfsAnswer, live.posixLocks(), live.sharedMmap(), ONE_KERNEL_NOTE);
  }

  static boolean isLockOption(String option) {
    String name = option.split("=", 2)[0].toLowerCase(Locale.ROOT);
    return LOCK_OPTION_NAMES.contains(name);
  }
}

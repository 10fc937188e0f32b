package io.walguard.sqlite.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.sqlite.report.ToolboxReport;
import io.walguard.storage.StorageKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code walguard sqlite probe} found.
 *
 * @param kind local, network, fuse or unknown
 * @param evidence what decided the kind, e.g. {@code filesystem type nfs4 at /data (source fs-1.efs...:/)}
 * @param fstype, source, options the mount as {@link io.walguard.storage.MountObservation} carries it (mount and
 *     super options together)
 * @param lockOptions the options that change how locks behave across nodes ({@code nolock}, {@code local_lock=},
 *     {@code nobrl}) and the protocol version ({@code vers=}, {@code nfsvers=}), as found
 * @param statfs the filesystem type statfs(2) gives for the path itself, and whether it agrees with {@code fstype}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"command", "path", "outcome", "exitCode", "message", "time", "realPath", "kind", "evidence",
    "fstype", "source", "options", "lockOptions", "mountPoint", "mountRoot", "statfs", "posixLocks",
    "sharedMmap", "note"})
public record ProbeReport(
    String command,
    String path,
    String outcome,
    int exitCode,
    String message,
    String time,
    String realPath,
    StorageKind kind,
    String evidence,
    String fstype,
    String source,
    String options,
    List<String> lockOptions,
    String mountPoint,
    String mountRoot,
    Statfs.Answer statfs,
    LiveChecks.Check posixLocks,
    LiveChecks.Check sharedMmap,
    String note)
    implements ToolboxReport {

  @Override
  public List<String> details() {
    List<String> lines = new ArrayList<>();
    lines.add("path:        " + path + (realPath.equals(path) ? "" : " (really " + realPath + ")"));
    lines.add("kind:        " + kind + " (" + evidence + ")");
    lines.add("mount:       " + mountPoint + " root " + mountRoot + ", type " + fstype + ", source " + source);
    lines.add("options:     " + options);
    if (!lockOptions.isEmpty()) lines.add("lock opts:   " + String.join(",", lockOptions));
    lines.add("statfs:      " + (statfs.unavailable() != null ? "unavailable: " + statfs.unavailable()
        : "f_type " + statfs.type() + (statfs.statName() == null ? "" : " (" + statfs.statName() + ")")
            + (statfs.agrees() == null ? ", not in walguard's table"
                : statfs.agrees() ? ", agrees with the mount table" : ", disagrees with the mount table")));
    lines.add("POSIX locks: " + posixLocks.status() + ": " + posixLocks.detail());
    lines.add("shared mmap: " + sharedMmap.status() + ": " + sharedMmap.detail());
    lines.add("note:        " + note);
    return lines;
  }
}

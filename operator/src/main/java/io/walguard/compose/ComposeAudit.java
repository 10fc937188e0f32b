package io.walguard.compose;

import io.walguard.audit.AuditEntry;
import io.walguard.audit.BadInputException;
import java.nio.file.Path;
import java.util.List;

/** {@code walguard audit -f compose.yaml}: the same rules applied to Docker Compose and Swarm files (DESIGN.md §10). */
public final class ComposeAudit {

  /** The file names that make a file (or a directory's file) a Compose file. */
  public static final List<String> FILE_NAMES =
      List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

  public static boolean isComposeFile(Path file) {
    return FILE_NAMES.contains(file.getFileName().toString());
  }

  /** Every database in one Compose file. {@code swarm} forces Swarm placement rules (the {@code --swarm} flag). */
  public List<AuditEntry> audit(Path file, boolean swarm) throws BadInputException {
    throw new UnsupportedOperationException("ComposeAudit.audit");
  }
}

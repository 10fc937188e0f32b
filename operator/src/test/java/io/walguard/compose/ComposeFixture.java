package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.audit.AuditEntry;
import io.walguard.audit.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes Compose files for tests and audits them without the process environment. */
final class ComposeFixture {

  private ComposeFixture() {}

  static Path write(Path dir, String name, String yaml) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  static Path write(Path dir, String yaml) throws IOException {
    return write(dir, "compose.yaml", yaml);
  }

  static List<AuditEntry> audit(Path path, boolean swarm) throws BadInputException {
    return new ComposeAudit(Map.of()).audit(path, swarm);
  }

  static AuditEntry only(Path path, boolean swarm) throws BadInputException {
    List<AuditEntry> entries = audit(path, swarm);
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  /** The model and the one database of a file, for tests of the parts behind ComposeAudit. */
  static ComposeClaim claim(Path file) throws BadInputException {
    List<ComposeClaim> claims = ComposeDatabases.find(model(file));
    assertThat(claims).hasSize(1);
    return claims.get(0);
  }

  static ComposeModel model(Path file) throws BadInputException {
    return new ComposeLoader(Map.of()).load(file);
  }
}

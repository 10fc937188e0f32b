package io.walguard.audit;

import io.walguard.compose.ComposeAudit;
import io.walguard.compose.ComposeProject;
import io.walguard.core.Policy;
import io.walguard.core.Safety;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One audit: find the databases in what was read, ask the decision core about each, and report in a stable order.
 * It decides nothing itself; {@link Policy#decide} does, as it does for the operator and the webhook.
 */
public final class Audit {

  /** Exit status: no database is unsafe. */
  public static final int OK = 0;
  /** Exit status: at least one database is unsafe (or unknown, with {@code --strict}). */
  public static final int UNSAFE = 1;
  /** Exit status: the input could not be read. */
  public static final int BAD_INPUT = 2;

  public static final Comparator<AuditEntry> ORDER = Comparator
      .comparing(AuditEntry::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(AuditEntry::name, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(AuditEntry::claim, Comparator.nullsFirst(Comparator.naturalOrder()));

  private final Policy policy;
  private final ComposeAudit compose;
  private final Consumer<String> notes;

  public Audit(Policy policy, ComposeAudit compose, Consumer<String> notes) {
    this.policy = policy;
    this.compose = compose;
    this.notes = notes;
  }

  /** Every database in the manifests (and Compose files), sorted by namespace and name. */
  public List<AuditEntry> run(Manifests manifests, boolean swarm) throws BadInputException {
    StatefulSetClaims.addMissing(manifests.facts());
    List<AuditEntry> entries = new ArrayList<>();
    for (DatabaseDiscovery.Target target : new DatabaseDiscovery(policy.apps(), notes).discover(manifests)) {
      var verdict = policy.decide(manifests.facts(), target.database());
      entries.add(AuditEntry.of(target.namespace(), target.name(), target.claim(), verdict));
    }
    Set<Path> composeFilesRead = new HashSet<>();
    for (ComposeProject project : manifests.composeProjects()) {
      try {
        ComposeAudit.Result result = compose.audit(project, swarm);
        entries.addAll(result.entries());
        composeFilesRead.addAll(result.files());
      } catch (OutOfMemoryError e) {
        throw ManifestLoader.tooLarge(project.files().get(0));
      }
    }
    for (Path file : manifests.composeLikeFiles()) {
      if (!composeFilesRead.contains(file.toAbsolutePath().normalize())) {
        notes.accept(file + ": a Compose file by its content (services:), but not by its name, and no Compose"
            + " project here includes or extends it, so it is skipped: under a directory walguard reads compose.yaml,"
            + " docker-compose.yml and their override files, and docker-stack.yml and stack.yml; to audit it, name it"
            + " with -f (after the file it overrides, if it is an override file: -f docker-compose.yml -f "
            + file.getFileName() + ")");
      }
    }
    entries.sort(ORDER);
    return entries;
  }

  /** 0 when no database is unsafe, 1 when one is; with {@code strict}, an unknown one counts as unsafe. */
  public static int exitStatus(List<AuditEntry> entries, boolean strict) {
    boolean failing = entries.stream().anyMatch(entry -> Safety.unsafe.name().equals(entry.verdict())
        || (strict && Safety.unknown.name().equals(entry.verdict())));
    return failing ? UNSAFE : OK;
  }
}

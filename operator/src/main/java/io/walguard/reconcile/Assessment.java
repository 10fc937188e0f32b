package io.walguard.reconcile;

import io.walguard.api.SqliteDatabase;
import io.walguard.core.Verdict;
import io.walguard.placement.RunningPod;
import java.util.List;
import java.util.Optional;

/**
 * What one reconciliation learned and did for a database: the verdict of the decision core and the outcome of the
 * remedy. The status is written from it, and the dependents of the workflow (the checkpoint CronJob, the journal and
 * probe Jobs) read it from the workflow context under {@link #KEY} to know where the openers are.
 *
 * @param database the SqliteDatabase as reconciled
 * @param verdict the decision core's answer, empty when it could not decide
 * @param decisionError why the core could not decide, or null
 * @param claimFound whether the claim named in {@code spec.claimName} exists
 * @param pin what the pin remedy did, when it ran
 * @param fileUnknown whether the database was created from an opt-in annotation without {@code walguard.io/sqlite-file}
 */
public record Assessment(
    SqliteDatabase database,
    Optional<Verdict> verdict,
    String decisionError,
    boolean claimFound,
    Optional<Pinner.Report> pin,
    boolean fileUnknown) {

  /** The key of the assessment in the managed workflow's context. */
  public static final String KEY = "walguard.io/assessment";

  /** The node the openers are (being) pinned to, when walguard pins them. */
  public Optional<String> pinnedNode() {
    return pin.flatMap(p -> p.choice().node());
  }

  /** The nodes where openers run now, sorted. */
  public List<String> nodes() {
    return verdict.map(v -> v.placement().running().stream().map(RunningPod::node)
        .filter(n -> n != null && !n.isBlank()).distinct().sorted().toList()).orElse(List.of());
  }

  /** The one node a helper pod (checkpoint, journal switch) must run on to share the openers' kernel, if known. */
  public Optional<String> openersNode() {
    if (pinnedNode().isPresent()) {
      return pinnedNode();
    }
    List<String> nodes = nodes();
    return nodes.size() == 1 ? Optional.of(nodes.get(0)) : Optional.empty();
  }
}

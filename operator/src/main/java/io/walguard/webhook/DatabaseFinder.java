package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.apps.AppProfiles;
import io.walguard.core.Annotations;
import io.walguard.core.Facts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The databases an admitted object concerns, as {@code walguard audit} finds databases (DESIGN.md section 9): every
 * SqliteDatabase naming a claim the object is or mounts, and, for a claim no SqliteDatabase names, a database named
 * after the claim when the claim, the admitted object or another opener of the claim carries
 * {@code walguard.io/sqlite: "true"}.
 */
final class DatabaseFinder {

  private DatabaseFinder() {}

  /**
   * The databases found, at most the limit asked for.
   *
   * @param more whether the object concerns more databases than were returned
   */
  record Found(List<SqliteDatabase> databases, boolean more) {
    static final Found NONE = new Found(List.of(), false);
  }

  /**
   * Empty for the common case, an object that does not concern SQLite; that answer costs no verdict. The work is
   * linear in the objects and volumes of the namespace, however many claims the admitted object mounts.
   */
  static Found find(Facts facts, HasMetadata admitted, String namespace, AppProfiles apps, int limit) {
    if (admitted instanceof SqliteDatabase db) {
      return new Found(List.of(db), false);
    }
    Set<String> claims = Mounts.claims(admitted);
    if (claims.isEmpty()) {
      return Found.NONE;
    }
    Map<String, List<SqliteDatabase>> declared = new HashMap<>();
    for (SqliteDatabase d : facts.databases(namespace)) {
      if (d.getSpec() != null && d.getSpec().getClaimName() != null) {
        declared.computeIfAbsent(d.getSpec().getClaimName(), k -> new ArrayList<>()).add(d);
      }
    }
    boolean admittedOptsIn = Mounts.optedIn(admitted);
    OptIns optIns = null;
    List<SqliteDatabase> found = new ArrayList<>();
    for (String claim : claims) {
      List<SqliteDatabase> naming = declared.getOrDefault(claim, List.of());
      if (naming.isEmpty() && !admittedOptsIn) {
        if (optIns == null) {
          optIns = new OptIns(facts, namespace);
        }
        if (!optIns.optsIn(facts, namespace, claim)) {
          continue;
        }
      }
      List<SqliteDatabase> these = naming.isEmpty() ? List.of(implied(facts, namespace, claim, admitted, apps)) : naming;
      for (SqliteDatabase db : these) {
        if (found.size() == limit) {
          return new Found(found, true);
        }
        found.add(db);
      }
    }
    return new Found(found, false);
  }

  /** Which claims of the namespace are opted in by their openers or their StatefulSet's templates, read once. */
  private static final class OptIns {
    private final Set<String> byOpeners = new HashSet<>();
    private final List<StatefulSet> statefulSets = new ArrayList<>();

    OptIns(Facts facts, String namespace) {
      for (HasMetadata w : facts.workloads(namespace)) {
        if (Mounts.optedIn(w)) {
          byOpeners.addAll(Mounts.claims(w));
        }
        if (w instanceof StatefulSet sts && sts.getSpec() != null && sts.getSpec().getVolumeClaimTemplates() != null
            && sts.getSpec().getVolumeClaimTemplates().stream().anyMatch(t -> t != null && Mounts.optedIn(t.getMetadata()))) {
          statefulSets.add(sts);
        }
      }
      for (Pod p : facts.pods(namespace)) {
        if (Mounts.optedIn(p)) {
          byOpeners.addAll(Mounts.claims(p));
        }
      }
    }

    boolean optsIn(Facts facts, String namespace, String claim) {
      if (byOpeners.contains(claim)) {
        return true;
      }
      if (facts.claim(namespace, claim).map(c -> Mounts.optedIn(c.getMetadata())).orElse(false)) {
        return true;
      }
      return statefulSets.stream().anyMatch(sts -> Mounts.templateOptsIn(sts, claim));
    }
  }

  /**
   * A database without a custom resource, as the operator creates it and the audit builds it: named after its claim,
   * labelled as walguard's, report-only (remedy none, checkpoints off), with the app profile of the first opener
   * whose image one names.
   */
  private static SqliteDatabase implied(Facts facts, String namespace, String claim, HasMetadata admitted,
      AppProfiles apps) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new ObjectMetaBuilder().withName(claim).withNamespace(namespace)
        .withLabels(java.util.Map.of(Annotations.MANAGED_BY, Annotations.MANAGER, Annotations.DATABASE, claim))
        .build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile(fileOf(facts, namespace, claim, admitted));
    spec.setApp(appOf(facts, namespace, claim, apps));
    spec.setRemedy(SqliteDatabaseSpec.Remedy.none);
    spec.setCheckpoint(new io.walguard.api.CheckpointSpec());
    spec.getCheckpoint().setEnabled(false);
    db.setSpec(spec);
    return db;
  }

  private static String appOf(Facts facts, String namespace, String claim, AppProfiles apps) {
    List<HasMetadata> openers = new ArrayList<>(facts.workloads(namespace));
    openers.addAll(facts.pods(namespace));
    for (HasMetadata opener : openers) {
      if (!Mounts.claims(opener).contains(claim)) {
        continue;
      }
      for (String image : Mounts.images(opener)) {
        var app = apps.byImage(image);
        if (app.isPresent()) {
          return app.get().name();
        }
      }
    }
    return null;
  }

  private static String fileOf(Facts facts, String namespace, String claim, HasMetadata admitted) {
    String file = Mounts.annotation(admitted.getMetadata(), Annotations.SQLITE_FILE);
    if (file == null) {
      file = facts.claim(namespace, claim)
          .map(PersistentVolumeClaim::getMetadata)
          .map(m -> Mounts.annotation(m, Annotations.SQLITE_FILE))
          .orElse(null);
    }
    return Objects.requireNonNullElse(file, "");
  }
}

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
import java.util.Collection;
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

  /** Empty for the common case, an object that does not concern SQLite; that answer costs no verdict. */
  static List<SqliteDatabase> find(Facts facts, HasMetadata admitted, String namespace, AppProfiles apps) {
    if (admitted instanceof SqliteDatabase db) {
      return List.of(db);
    }
    Set<String> claims = Mounts.claims(admitted);
    if (claims.isEmpty()) {
      return List.of();
    }
    Collection<SqliteDatabase> declared = facts.databases(namespace);
    boolean admittedOptsIn = Mounts.optedIn(admitted);
    List<SqliteDatabase> found = new ArrayList<>();
    for (String claim : claims) {
      List<SqliteDatabase> naming = declared.stream()
          .filter(d -> d.getSpec() != null && claim.equals(d.getSpec().getClaimName())).toList();
      if (!naming.isEmpty()) {
        found.addAll(naming);
      } else if (admittedOptsIn || claimOptsIn(facts, namespace, claim) || openerOptsIn(facts, namespace, claim)) {
        found.add(implied(facts, namespace, claim, admitted, apps));
      }
    }
    return found;
  }

  private static boolean claimOptsIn(Facts facts, String namespace, String claim) {
    if (facts.claim(namespace, claim).map(c -> Mounts.optedIn(c.getMetadata())).orElse(false)) {
      return true;
    }
    return facts.workloads(namespace).stream()
        .anyMatch(w -> w instanceof StatefulSet sts && Mounts.templateOptsIn(sts, claim));
  }

  private static boolean openerOptsIn(Facts facts, String namespace, String claim) {
    for (HasMetadata w : facts.workloads(namespace)) {
      if (Mounts.optedIn(w) && Mounts.claims(w).contains(claim)) {
        return true;
      }
    }
    for (Pod p : facts.pods(namespace)) {
      if (Mounts.optedIn(p) && Mounts.claims(p).contains(claim)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A database without a custom resource: named after its claim, with walguard's defaults and the app profile of
   * the first opener whose image one names (as the audit does).
   */
  private static SqliteDatabase implied(Facts facts, String namespace, String claim, HasMetadata admitted,
      AppProfiles apps) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new ObjectMetaBuilder().withName(claim).withNamespace(namespace).build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile(fileOf(facts, namespace, claim, admitted));
    spec.setApp(appOf(facts, namespace, claim, apps));
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
